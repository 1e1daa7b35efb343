import type Database from 'better-sqlite3';
import { listingQueries, type ListingQueries } from './queries-listing.ts';
import { privacyQueries, type PrivacyQueries } from './queries-privacy.ts';
import { subscriberQueries, type SubscriberQueries } from './queries-subscribers.ts';
import { suppressionQueries, type SuppressionQueries } from './queries-suppressions.ts';
import { queryContext } from './query-context.ts';

export type { DeliveryExport } from './queries-privacy.ts';

/** The audience stage's queries on the subscriber tables (part of the {@link Store} interface). */
export interface Queries extends SubscriberQueries, SuppressionQueries, ListingQueries, PrivacyQueries {}

/** Builds the {@link Queries} over an open, migrated database, one group of tables at a time. */
export function createQueries(
  db: Database.Database,
  now: () => string,
  hash: (key: string) => string,
): Queries {
  const context = queryContext(db, now, hash);
  return {
    ...subscriberQueries(context),
    ...suppressionQueries(context),
    ...listingQueries(context),
    ...privacyQueries(context),
  };
}
