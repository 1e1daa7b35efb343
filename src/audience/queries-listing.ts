import { SUBSCRIBER, type QueryContext } from './query-context.ts';
import type { Subscriber, SubscriberStatus, SubscriberWithLists } from './types.ts';

/** Queries over many subscribers: listings and counts (a send's recipients: audience.ts). */
export interface ListingQueries {
  /** Subscribers by lowercase key, optionally of one list and/or status. */
  listSubscribers(filter?: {
    list?: string | undefined;
    status?: SubscriberStatus | undefined;
  }): SubscriberWithLists[];
  /**
   * Subscriber counts per (list, status). List `''`: subscribers without a list; list `'*'`: every
   * subscriber once, whatever their lists.
   */
  counts(): { listId: string; status: SubscriberStatus; count: number }[];
}

const LISTS_OF = `(SELECT json_group_array(list_id) FROM (SELECT list_id FROM memberships WHERE subscriber_id = s.id ORDER BY list_id))`;

/** Builds the {@link ListingQueries}. */
export function listingQueries({ db }: QueryContext): ListingQueries {
  return {
    listSubscribers(filter = {}) {
      const rows = db
        .prepare<[{ list: string | null; status: string | null }], Subscriber & { lists: string }>(
          `SELECT ${SUBSCRIBER}, ${LISTS_OF} AS lists FROM subscribers s
           WHERE (@list IS NULL OR EXISTS (SELECT 1 FROM memberships m WHERE m.subscriber_id = s.id AND m.list_id = @list))
             AND (@status IS NULL OR s.status = @status)
           ORDER BY s.email_key`,
        )
        .all({ list: filter.list ?? null, status: filter.status ?? null });
      return rows.map((row) => ({ ...row, lists: JSON.parse(row.lists) as string[] }));
    },
    counts: () =>
      db
        .prepare(
          `SELECT coalesce(m.list_id, '') AS listId, s.status, count(*) AS count
           FROM subscribers s LEFT JOIN memberships m ON m.subscriber_id = s.id GROUP BY 1, 2
           UNION ALL SELECT '*', status, count(*) FROM subscribers GROUP BY 2
           ORDER BY 1, 2`,
        )
        .all() as ReturnType<ListingQueries['counts']>,
  };
}
