/** Plain data of the audience stage: what the {@link Store} reads and writes. */

/** Where a subscriber stands. Only `active` ones receive issues. */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'bounced' | 'complained';

/** Every status, in the order `stats` prints them. */
export const STATUSES: readonly SubscriberStatus[] = [
  'active',
  'pending',
  'unsubscribed',
  'bounced',
  'complained',
];

/** Statuses an import or `add` never changes: the person said no, or the address does not work. */
export const STOPPED_STATUSES: readonly SubscriberStatus[] = ['unsubscribed', 'bounced', 'complained'];

/** Why an address is suppressed. `forgotten`: erased on request, only the hash is left. */
export type SuppressionReason = 'unsubscribed' | 'bounced' | 'complained' | 'forgotten' | 'manual';

/** One row of `subscribers`. */
export interface Subscriber {
  id: number;
  /** As given: local part's case kept, domain lowercased. */
  email: string;
  /** Lowercase identity (unique). */
  emailKey: string;
  name: string | null;
  status: SubscriberStatus;
  consentAt: string | null;
  /** How consent was given: `import:<file>`, `cli:add`, `web`… */
  consentSource: string | null;
  consentTextVersion: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What it takes to create a subscriber. */
export interface NewSubscriber {
  email: string;
  emailKey: string;
  name: string | null;
  status: SubscriberStatus;
  consentSource: string;
  consentTextVersion?: string | undefined;
}

/** Fields of a subscriber that may change. Status changes to `active` also stamp consent. */
export interface SubscriberPatch {
  name?: string | null;
  status?: SubscriberStatus;
  consentSource?: string;
  consentTextVersion?: string | null;
}

/** A subscriber's membership of one list of `lists.yml`. */
export interface Membership {
  listId: string;
  source: string | null;
  createdAt: string;
}

/** A suppression entry (the address itself is not stored, only its keyed hash). */
export interface Suppression {
  reason: SuppressionReason;
  createdAt: string;
}

/**
 * A double opt-in confirmation `serve` sent (table `confirmations`): what the person typed and
 * chose on the form, kept until they confirm or it expires. The token itself is not stored.
 */
export interface Confirmation {
  /** The name typed on the form, applied on confirmation. */
  name: string | null;
  /** The list ids chosen on the form. */
  lists: string[];
  /** Version of the consent text the form showed. */
  consentTextVersion: string;
  createdAt: string;
  expiresAt: string;
  /** When the link was used; null while it is pending. */
  usedAt: string | null;
}

/** A subscriber with the ids of their lists, as `subscribers list` shows them. */
export interface SubscriberWithLists extends Subscriber {
  lists: string[];
}

/** One recipient of a send, as {@link audience} returns them. */
export interface Recipient {
  subscriberId: number;
  email: string;
  name: string | null;
  /** The chosen lists this recipient is a member of, sorted. */
  lists: string[];
}

/** One row of `deliveries` (see migrations.ts for the meaning of each column). */
export interface DeliveryRow {
  campaign_id: number;
  position: number;
  subscriber_id: number | null;
  email: string | null;
  name: string | null;
  chunk: number;
  status: 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'skipped';
  provider_id: string | null;
  error: string | null;
  attempts: number;
  started_at: string | null;
  updated_at: string;
}

/** One row of `campaigns`. `lists` is a JSON array of list ids. */
export interface CampaignRow {
  id: number;
  issue_id: string;
  subject: string;
  lists: string;
  status: 'sending' | 'complete' | 'stopped';
  created_at: string;
  frozen_at: string | null;
}

/** One row of `chunks`: the state of one provider call. */
export interface ChunkRow {
  campaign_id: number;
  chunk: number;
  idempotency_key: string;
  payload_sha256: string | null;
  status: string;
  started_at: string | null;
  finished_at: string | null;
}
