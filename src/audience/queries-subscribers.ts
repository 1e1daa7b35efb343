import { SUBSCRIBER, type QueryContext } from './query-context.ts';
import type { Membership, NewSubscriber, Subscriber, SubscriberPatch } from './types.ts';

/** Queries on one subscriber and their memberships. */
export interface SubscriberQueries {
  /** The subscriber with this lowercase key, if any. */
  findSubscriber(key: string): Subscriber | undefined;
  /** The subscriber with this id, if any. */
  findSubscriberById(id: number): Subscriber | undefined;
  insertSubscriber(input: NewSubscriber): Subscriber;
  /** Changes the given fields and `updated_at`; becoming `active` stamps `consent_at`. */
  updateSubscriber(id: number, patch: SubscriberPatch): void;
  memberships(subscriberId: number): Membership[];
  /** Adds a membership; false when it already existed. */
  addMembership(subscriberId: number, listId: string, source: string): boolean;
  /** Removes a membership; false when there was none. */
  removeMembership(subscriberId: number, listId: string): boolean;
}

const COLUMNS = {
  name: 'name',
  status: 'status',
  consentSource: 'consent_source',
  consentTextVersion: 'consent_text_version',
} as const;

/** Builds the {@link SubscriberQueries}. */
export function subscriberQueries({ prepare, now }: QueryContext): SubscriberQueries {
  const byKey = prepare<[string], Subscriber>(`SELECT ${SUBSCRIBER} FROM subscribers s WHERE email_key = ?`);
  const insert = prepare(
    `INSERT INTO subscribers (email, email_key, name, status, consent_at, consent_source, consent_text_version, created_at, updated_at)
     VALUES (@email, @emailKey, @name, @status, @consentAt, @consentSource, @consentTextVersion, @now, @now)`,
  );
  return {
    findSubscriber: (key) => byKey.get(key),
    findSubscriberById: (id) =>
      prepare<[number], Subscriber>(`SELECT ${SUBSCRIBER} FROM subscribers s WHERE id = ?`).get(id),
    insertSubscriber(input) {
      const consentAt = input.status === 'active' ? now() : null;
      insert.run({ ...input, consentAt, consentTextVersion: input.consentTextVersion ?? null, now: now() });
      return byKey.get(input.emailKey)!;
    },
    updateSubscriber(id, patch) {
      const sets: string[] = ['updated_at = @now'];
      const values: Record<string, unknown> = { id, now: now() };
      for (const [field, name] of Object.entries(COLUMNS)) {
        const value = patch[field as keyof SubscriberPatch];
        if (value === undefined) continue;
        sets.push(`${name} = @${field}`);
        values[field] = value;
      }
      if (patch.status === 'active') sets.push('consent_at = @now');
      prepare(`UPDATE subscribers SET ${sets.join(', ')} WHERE id = @id`).run(values);
    },
    memberships: (id) =>
      prepare<[number], Membership>(
        'SELECT list_id AS listId, source, created_at AS createdAt FROM memberships WHERE subscriber_id = ? ORDER BY list_id',
      ).all(id),
    addMembership: (id, listId, source) =>
      prepare(
        'INSERT OR IGNORE INTO memberships (subscriber_id, list_id, source, created_at) VALUES (?, ?, ?, ?)',
      ).run(id, listId, source, now()).changes === 1,
    removeMembership: (id, listId) =>
      prepare('DELETE FROM memberships WHERE subscriber_id = ? AND list_id = ?').run(id, listId).changes ===
      1,
  };
}
