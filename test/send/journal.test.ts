import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsubscribeToken } from '../../src/tokens.ts';
import { ledger, projectStore, SECRET, seedSubscribers, send, tempProject } from './helpers.ts';

/** A project of three, and serve's journal holding a one-click unsubscribe of the second. */
function journaled() {
  const project = tempProject();
  seedSubscribers(project, 3);
  const store = projectStore(project);
  const row = store.db
    .prepare<[], { id: number; token_key: string }>(
      "SELECT id, token_key FROM subscribers WHERE email = 'person-00001@example.org'",
    )
    .get()!;
  const journal = `${project.database}-unsubscribes`;
  const token = unsubscribeToken(SECRET, { id: row.id, tokenKey: row.token_key });
  // As serve writes it: a leading newline, one token per line; a forged line is ignored.
  writeFileSync(
    journal,
    `\n${token}\n\n${unsubscribeToken('another-secret-of-enough-length-000000', { id: row.id, tokenKey: row.token_key })}\n`,
  );
  store.close();
  return { project, journal };
}

const recipients = (outbox: string) =>
  readdirSync(outbox).map((f) => /^To: (.+)\r$/m.exec(readFileSync(join(outbox, f), 'latin1'))?.[1]);

describe("a send and serve's unsubscribe journal", () => {
  it('applies unsubscribes serve journaled before reading the audience, and leaves the journal to serve', async () => {
    const { project, journal } = journaled();
    const run = await send(project);
    expect(run.error).toBeUndefined();
    expect(ledger(project)).toEqual({ sent: 2 });
    expect(recipients(project.outbox).sort()).toEqual([
      'person-00000@example.org',
      'person-00002@example.org',
    ]);
    expect(run.err).toContain('Applied 1 unsubscribe(s) serve had journaled');
    const status = projectStore(project)
      .db.prepare<[], string>("SELECT status FROM subscribers WHERE email = 'person-00001@example.org'")
      .pluck()
      .get();
    expect(status).toBe('unsubscribed');
    // serve removes lines once it has applied them itself; applying again changes nothing.
    expect(existsSync(journal)).toBe(true);
  });

  it('changes nothing on a dry run, and says so when it has no secret to verify the tokens with', async () => {
    const { project } = journaled();
    const plan = await send(project, { dryRun: true });
    expect(plan.out).toMatch(/recipients +3\b/);
    const noSecret = await send(project, { env: { RESEND_API_KEY: '' } });
    expect(noSecret.err).toContain('holds unsubscribes serve has not applied yet');
    expect(ledger(project)).toEqual({ sent: 3 });
  });
});
