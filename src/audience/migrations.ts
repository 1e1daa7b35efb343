import type Database from 'better-sqlite3';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

/** One schema step. Its version is its position in {@link MIGRATIONS} + 1 (`PRAGMA user_version`). */
export interface Migration {
  /** A short name for messages, such as `initial`. */
  name: string;
  /** SQL run inside the migration's transaction. */
  up: string;
  /**
   * The step rebuilds a table that others reference: it runs with foreign keys off (dropping the
   * old table would otherwise cascade into its references), and `foreign_key_check` must come out
   * clean before it commits.
   */
  rebuild?: true;
}

/** `PRAGMA application_id` of a nyhetsbrev database ("NYHB"), set by migration 4. */
export const APPLICATION_ID = 0x4e594842;

/**
 * The schema, as an ordered list of steps. Append new steps at the end; never edit or reorder a
 * step that has shipped (databases in the field have already run it).
 *
 * Timestamps are ISO 8601 UTC strings (`2026-11-03T08:15:00.000Z`), so they sort as text.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'initial',
    up: `
      -- Key/value settings of this database, e.g. the per-database suppression key (see secret.ts).
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

      CREATE TABLE subscribers (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL,                 -- as given: local part's case kept, domain lowercased
        email_key TEXT NOT NULL UNIQUE,      -- lowercase: the case-insensitive identity
        name TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending','active','unsubscribed','bounced','complained')),
        consent_at TEXT,
        consent_source TEXT,                 -- e.g. import:forum.csv, cli:add, web
        consent_text_version TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- Forum membership; list_id is an id from subscribers/lists.yml.
      CREATE TABLE memberships (
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        list_id TEXT NOT NULL,
        source TEXT,
        created_at TEXT NOT NULL,
        PRIMARY KEY (subscriber_id, list_id)
      ) WITHOUT ROWID;
      CREATE INDEX memberships_by_list ON memberships(list_id, subscriber_id);

      -- Never contact again. Only a keyed hash: survives forget without keeping the address.
      CREATE TABLE suppressions (
        email_hash TEXT PRIMARY KEY,         -- hex HMAC-SHA256 of email_key (secret.ts)
        reason TEXT NOT NULL CHECK (reason IN ('unsubscribed','bounced','complained','forgotten','manual')),
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- One per issue ever sent; a second send of the issue resumes it.
      CREATE TABLE campaigns (
        id INTEGER PRIMARY KEY,
        issue_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        lists TEXT NOT NULL,                 -- JSON array of list ids
        status TEXT NOT NULL CHECK (status IN ('sending','complete','stopped')),
        created_at TEXT NOT NULL,
        frozen_at TEXT                       -- when the audience was frozen into deliveries
      );

      -- One per (campaign, recipient), in send order. email/name/subscriber_id become NULL on forget.
      CREATE TABLE deliveries (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        position INTEGER NOT NULL,
        subscriber_id INTEGER,               -- no FK: the row outlives a forgotten subscriber
        email TEXT,
        name TEXT,
        chunk INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued','sending','sent','failed','uncertain','skipped')),
        provider_id TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        started_at TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (campaign_id, position)
      ) WITHOUT ROWID;
      CREATE INDEX deliveries_by_chunk ON deliveries(campaign_id, chunk, status);
      CREATE INDEX deliveries_by_subscriber ON deliveries(subscriber_id);
      CREATE INDEX deliveries_by_provider_id ON deliveries(provider_id) WHERE provider_id IS NOT NULL;

      -- One per (campaign, chunk of ≤100 deliveries): the provider call's idempotency state.
      CREATE TABLE chunks (
        campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
        chunk INTEGER NOT NULL,
        idempotency_key TEXT NOT NULL,
        payload_sha256 TEXT,
        status TEXT NOT NULL,                -- the sender's own vocabulary
        started_at TEXT,
        finished_at TEXT,
        PRIMARY KEY (campaign_id, chunk)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'serve',
    up: `
      -- One per confirmation email sent by nyhetsbrev serve (double opt-in). The token itself is never
      -- stored, only its SHA-256, so the file alone cannot confirm anyone. Single use: used_at.
      CREATE TABLE confirmations (
        token_hash TEXT PRIMARY KEY,         -- hex SHA-256 of the token in the confirmation link
        subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
        lists TEXT NOT NULL,                 -- JSON array of the public list ids chosen on the form
        name TEXT,                           -- name given on the form, applied on confirmation
        consent_text_version TEXT NOT NULL,  -- version of the consent text the form showed
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      ) WITHOUT ROWID;
      CREATE INDEX confirmations_by_subscriber ON confirmations(subscriber_id, created_at);

      -- Provider webhook messages already applied (svix-id), so a replayed one changes nothing.
      CREATE TABLE webhook_messages (
        provider TEXT NOT NULL,              -- e.g. resend
        message_id TEXT NOT NULL,            -- the svix-id header
        received_at TEXT NOT NULL,
        PRIMARY KEY (provider, message_id)
      ) WITHOUT ROWID;

      -- The provider's last word on a sent email (webhooks), beside the sender's own status.
      ALTER TABLE deliveries ADD COLUMN provider_event TEXT;     -- delivered, delivery_delayed, bounced, …
      ALTER TABLE deliveries ADD COLUMN provider_event_at TEXT;  -- the event's own timestamp
    `,
  },
  {
    name: 'send-ledger',
    up: `
      -- The sender's bookkeeping (src/send/ledger.ts; states documented there).
      ALTER TABLE campaigns ADD COLUMN ref TEXT;             -- c<id>-<nonce>: in idempotency keys, Message-IDs and tags; unique across databases
      ALTER TABLE campaigns ADD COLUMN content_sha256 TEXT;  -- the rendered issue when the audience was frozen
      ALTER TABLE chunks ADD COLUMN transport TEXT;          -- transport of the latest attempt (resend, smtp, outbox)
      ALTER TABLE chunks ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE chunks ADD COLUMN error TEXT;              -- why the chunk stopped or became uncertain
      CREATE INDEX chunks_by_status ON chunks(campaign_id, status, chunk);
    `,
  },
  {
    name: 'never-reuse-ids',
    rebuild: true,
    // Before this step `forget` freed an id for the next subscriber, and unsubscribe links named
    // the id alone, so an erased person's old link could unsubscribe a stranger. Now ids are never
    // given out again (AUTOINCREMENT, its counter seeded past every id ever referenced) and links
    // also carry `token_key`, a random value that dies with the row.
    //
    // Links already in inboxes (v1: the id alone) keep working only where `v1_links` is 1: for
    // subscribers created before any campaign that went to someone no longer there with that
    // address (forgotten, or a row that now holds another address). Such a recipient is the only
    // way an id can have been reused under a v1 link in someone's inbox, and a reused id goes to a
    // row created after that campaign. Everyone later loses their v1 links (the page says the
    // link no longer works, nothing changes) and gets working ones with the next issue.
    up: `
      CREATE TABLE subscribers_v4 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL UNIQUE,
        name TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending','active','unsubscribed','bounced','complained')),
        consent_at TEXT,
        consent_source TEXT,
        consent_text_version TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        token_key TEXT NOT NULL DEFAULT (lower(hex(randomblob(16)))),  -- in the person's unsubscribe links (tokens.ts)
        v1_links INTEGER NOT NULL DEFAULT 0 CHECK (v1_links IN (0, 1)) -- links of before this step still work
      );
      INSERT INTO subscribers_v4
      SELECT id, email, email_key, name, status, consent_at, consent_source, consent_text_version, created_at,
        updated_at, lower(hex(randomblob(16))),
        created_at < coalesce((
          SELECT min(c.created_at) FROM campaigns c WHERE EXISTS (
            SELECT 1 FROM deliveries d WHERE d.campaign_id = c.id AND NOT EXISTS (
              SELECT 1 FROM subscribers s WHERE s.id = d.subscriber_id AND s.email = d.email))), '~')
      FROM subscribers ORDER BY id;
      DROP TABLE subscribers;
      ALTER TABLE subscribers_v4 RENAME TO subscribers;
      DELETE FROM sqlite_sequence WHERE name = 'subscribers';
      INSERT INTO sqlite_sequence (name, seq) VALUES ('subscribers', max(
        coalesce((SELECT max(id) FROM subscribers), 0),
        coalesce((SELECT max(subscriber_id) FROM deliveries), 0),
        coalesce((SELECT max(subscriber_id) FROM confirmations), 0)));
      PRAGMA application_id = ${APPLICATION_ID};
    `,
  },
  {
    name: 'schedules',
    up: `
      -- Scheduled sends (src/schedule/): \`send <id> --at\` records one; \`serve\` and \`send --due\`
      -- start it once due_at has passed. No personal data: errors are stored with addresses blanked.
      CREATE TABLE schedules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        issue_id TEXT NOT NULL,
        due_at TEXT NOT NULL,                -- UTC
        zone TEXT NOT NULL,                  -- the time zone the time was given in, for display
        lists TEXT,                          -- JSON array of list ids; NULL: every list
        transport TEXT,                      -- NULL: the config's transport.default when it starts
        issues_dir TEXT NOT NULL,            -- the issues folder, relative to the config file's folder
        status TEXT NOT NULL CHECK (status IN ('scheduled','running','sent','failed','cancelled')),
        holder TEXT,                         -- JSON {pid, host, at} of the process running it
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        started_at TEXT,                     -- the latest start
        finished_at TEXT,
        outcome TEXT                         -- what the latest run said: a summary, or the error
      );
      -- One schedule waiting or running per issue.
      CREATE UNIQUE INDEX schedules_pending ON schedules(issue_id) WHERE status IN ('scheduled','running');
      CREATE INDEX schedules_by_status ON schedules(status, due_at);
    `,
  },
  {
    name: 'audience-life',
    up: `
      -- Bounce and complaint reports already read (src/bounces/), so reading one again changes
      -- nothing. Written in the same transaction as the report's effect.
      CREATE TABLE bounce_reports (
        report_key TEXT PRIMARY KEY,         -- hex SHA-256 of the report's Message-ID, or of its bytes
        kind TEXT NOT NULL,                  -- hard, soft, complaint, or ignored
        processed_at TEXT NOT NULL
      ) WITHOUT ROWID;

      -- What a report said about one address: soft bounces are counted from here, and the send
      -- report tells which issue's delivery bounced. Only a keyed hash of the address is kept.
      CREATE TABLE bounce_events (
        id INTEGER PRIMARY KEY,
        report_key TEXT NOT NULL REFERENCES bounce_reports(report_key) ON DELETE CASCADE,
        email_hash TEXT NOT NULL,            -- as suppressions.email_hash
        kind TEXT NOT NULL CHECK (kind IN ('hard','soft','complaint')),
        status TEXT,                         -- the DSN status code (5.1.1) or ARF feedback type
        campaign_id INTEGER,                 -- the delivery that bounced, when known
        position INTEGER,
        occurred_at TEXT NOT NULL            -- the report's own date, for the soft-bounce window
      );
      CREATE INDEX bounce_events_by_hash ON bounce_events(email_hash, kind, occurred_at);
      CREATE INDEX bounce_events_by_campaign ON bounce_events(campaign_id, kind);

      -- The retention purge's lookups (retention.ts), hourly from serve: no table scans.
      CREATE INDEX deliveries_by_updated ON deliveries(updated_at);
      CREATE INDEX webhook_messages_by_received ON webhook_messages(received_at);
      CREATE INDEX bounce_reports_by_processed ON bounce_reports(processed_at);

      -- When the welcome email was queued: at most once per subscriber.
      ALTER TABLE subscribers ADD COLUMN welcomed_at TEXT;
    `,
  },
];

/**
 * Brings the database up to the latest schema, one transaction per step, recording the version in
 * `PRAGMA user_version` inside the same transaction (so a crash never leaves a half step). Throws a
 * `DatabaseError` when the file was written by a newer nyhetsbrev.
 */
export function migrate(db: Database.Database, file: string): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new UserError(E.MigrationTooNew, { path: file, version: current, known: MIGRATIONS.length });
  }
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version - 1]!;
    // A no-op inside a transaction, so it is switched around it.
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    if (step.rebuild) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        // Another process may have run this step while we waited for the write lock.
        if ((db.pragma('user_version', { simple: true }) as number) >= version) return;
        db.exec(step.up);
        if (step.rebuild && (db.pragma('foreign_key_check') as unknown[]).length > 0) {
          throw new UserError(E.MigrationDamaged, { path: file, version: version - 1 });
        }
        db.pragma(`user_version = ${version}`);
      }).immediate();
    } finally {
      db.pragma(`foreign_keys = ${foreignKeys}`);
    }
  }
  return MIGRATIONS.length;
}
