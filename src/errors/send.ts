import type { CatalogPart } from './names.ts';

/** What each `--uncertain` choice does, in the words of every message that offers it. */
export const UNCERTAIN_CHOICE = {
  skip: 'never send to them again; they are counted as skipped, outcome unknown',
  resend: 'send to them again; those who got it get it twice',
} as const;

const NOTHING_SENT = 'Nothing was sent.';

/** How every stopped send's hint says it resumes. */
const again = (issueId: string): string =>
  `Run \`nyhetsbrev send ${issueId}\` again to resume; those already sent are skipped.`;

interface IdArgs {
  id: string;
}

interface SecretArgs {
  variable: string;
  min: number;
}

/** Errors of `send`: preflight refusals, stops (with the state the campaign is in) and transports. */
export const SEND = {
  SendDraft: {
    name: 'SendRefused',
    message: ({ id }: IdArgs) =>
      `${id} is a draft (status: draft in its issue.md); drafts are never sent. ${NOTHING_SENT}`,
    hint: ({ id }: IdArgs) =>
      `Set \`status: ready\` in issues/${id}/issue.md when the issue is final, or send test copies with \`nyhetsbrev send ${id} --test ADDRESS\`.`,
  },
  SendContentErrors: {
    name: 'SendRefused',
    message: ({ id, errors }: IdArgs & { errors: number }) =>
      `${id} has ${errors} content error(s), listed above. ${NOTHING_SENT}`,
    hint: ({ id }: IdArgs & { errors: number }) =>
      `Fix them (\`nyhetsbrev check ${id}\` lists them too) and run the send again.`,
  },
  /** `frozen` are the lists the started send was planned for, `asked` those given now. */
  SendListsFrozen: {
    name: 'SendRefused',
    message: ({ id, frozen, asked }: ListArgs) =>
      `The send of ${id} was started for the lists ${frozen.join(', ')}, not ${asked.join(', ')}; a started send always resumes with its frozen audience. ${NOTHING_SENT}`,
    hint: ({ id, frozen }: ListArgs) =>
      `Run \`nyhetsbrev send ${id}\` without --list (or with --list ${frozen.join(' ')}) to resume it.`,
  },
  SendNobody: {
    name: 'SendRefused',
    message: ({ id }: IdArgs) =>
      `Nobody to send ${id} to: the chosen lists have no active, unsuppressed members.`,
    hint: 'Import subscribers with `nyhetsbrev subscribers import FILE --list ID` (see `nyhetsbrev subscribers stats`).',
  },
  SendAudienceChanged: {
    name: 'SendRefused',
    message: ({ id, confirmed, now }: IdArgs & { confirmed: number; now: number }) =>
      `The audience of ${id} changed while the send waited: ${confirmed} recipient(s) were confirmed, the lists now have ${now}. ${NOTHING_SENT}`,
    hint: ({ id }: IdArgs & { confirmed: number; now: number }) =>
      `Run \`nyhetsbrev send ${id}\` again to see and confirm the new plan.`,
  },
  SendNotConfirmed: {
    name: 'SendRefused',
    message: ({ count }: { count: number }) =>
      `Refusing to send to ${count} recipient(s) without confirmation: not running on a terminal. ${NOTHING_SENT}`,
    hint: 'Check the plan with --dry-run, then pass --yes to send without asking (as in scripts and CI).',
  },
  SendDeclined: {
    name: 'SendRefused',
    message: () => `Not confirmed. ${NOTHING_SENT}`,
    hint: 'Answer y to send, or pass --yes.',
  },
  /** `holder` is the lock's holder; `staleMinutes` when its lock expires after its last activity. */
  SendLocked: {
    name: 'SendRefused',
    message: ({ issueId, holder }: LockArgs) =>
      `Another \`nyhetsbrev send ${issueId}\` is running (process ${holder.pid} on ${holder.host}, last active ${holder.at}). Nothing was sent by this one.`,
    hint: ({ staleMinutes }: LockArgs) =>
      `Wait for it to finish. If that process is gone, its lock expires ${staleMinutes} minutes after its last activity; run again then.`,
  },
  TestAddressInvalid: {
    name: 'SendRefused',
    message: ({ reasons }: { reasons: string }) => `Not a valid test address: ${reasons}. ${NOTHING_SENT}`,
    hint: 'Give the addresses after --test, separated by spaces: --test anna@example.org erik@example.org',
  },
  SendQuotaUsedUp: {
    name: 'SendStopped',
    message: ({ transport, period, reason, state }: StopArgs) =>
      `The ${period ?? ''} sending quota of ${transport} is used up (${reason}). The send stopped and was checkpointed. ${state}`,
    hint: ({ issueId, period }: StopArgs) =>
      `${again(issueId)} Wait until the quota resets (${period === 'monthly' ? 'next month' : 'tomorrow'}) or raise it with the provider first.`,
  },
  SendAuthRefused: {
    name: 'SendStopped',
    message: ({ transport, reason, state }: StopArgs) =>
      `${transport} refused the credentials (${reason}). The send stopped. ${state}`,
    hint: ({ issueId }: StopArgs) =>
      `Check the API key or SMTP login in the environment (see README → Configuration). ${again(issueId)}`,
  },
  SendRequestRejected: {
    name: 'SendStopped',
    message: ({ transport, reason, chunk, state }: StopArgs) =>
      `${transport} refused the request itself (${reason}). The send stopped; nothing of chunk ${chunk} was sent. ${state}`,
    hint: ({ issueId }: StopArgs) =>
      `Fix the cause (a verified sender domain, a writable outbox folder, STARTTLS on the relay…). ${again(issueId)}`,
  },
  SendIssueChanged: {
    name: 'SendStopped',
    message: ({ transport, reason, chunk, state }: StopArgs) =>
      `The issue changed since sending started: chunk ${chunk} was first sent with an earlier version, and ${transport} refuses its idempotency key with a different body (${reason}). Its recipients are now uncertain. ${state}`,
    hint: ({ issueId }: StopArgs) =>
      `Restore the issue as it was when the send started and run again, or decide: \`nyhetsbrev send ${issueId} --uncertain=skip\` (${UNCERTAIN_CHOICE.skip}; they probably got the earlier version) or \`--uncertain=resend\` (${UNCERTAIN_CHOICE.resend}).`,
  },
  /** `perMessage`: the transport sends message by message (SMTP), so a retry may be uncertain. */
  SendRetriesExhausted: {
    name: 'SendStopped',
    message: ({ transport, reason, chunk, state }: StopArgs) =>
      `${transport} did not accept chunk ${chunk} after repeated attempts (${reason}). The send stopped. ${state}`,
    hint: ({ issueId, perMessage }: StopArgs) =>
      perMessage
        ? `${again(issueId)} Only recipients the relay certainly did not take are sent again; any whose message may have gone through are listed as uncertain.`
        : `${again(issueId)} The unfinished chunk is sent again under the same idempotency key, so nobody gets it twice (within 24 h for Resend).`,
  },
  SendInterrupted: {
    name: 'SendStopped',
    message: ({ state }: StopArgs) => `The send was interrupted. ${state}`,
    hint: ({ issueId }: StopArgs) =>
      `${again(issueId)} Chunks in flight are retried under the same idempotency key (Resend, outbox); over SMTP the messages in flight were let finish, and one cut off mid-transaction is reported as uncertain.`,
  },
  SendUncertain: {
    name: 'SendStopped',
    message: ({ uncertain, state }: UncertainArgs) =>
      `${uncertain} recipient(s) are uncertain: an earlier attempt may have delivered to them, and it cannot be repeated safely (reasons above). ${state}`,
    hint: ({ issueId }: UncertainArgs) =>
      `Decide, then run again: \`nyhetsbrev send ${issueId} --uncertain=skip\` (${UNCERTAIN_CHOICE.skip}) or \`--uncertain=resend\` (${UNCERTAIN_CHOICE.resend}).`,
  },
  SendInterruptedEarly: {
    name: 'SendStopped',
    message: () => `Interrupted before sending started. ${NOTHING_SENT}`,
    hint: 'No campaign was started or changed. Run the same `nyhetsbrev send` command again when ready; a scheduled send is tried again at its next check.',
  },
  TestSendStopped: {
    name: 'SendStopped',
    message: ({ reason, sent, total }: { reason: string; sent: number; total: number }) =>
      `The test send stopped: ${reason}. ${sent} of ${total} test copies were sent.`,
    hint: 'Fix the cause and run the test send again; the campaign itself was not touched.',
  },
  /** `failed` has a line per failed copy. */
  TestCopiesFailed: {
    name: 'SendStopped',
    message: ({ failed }: { failed: readonly string[] }) =>
      `${failed.length} test cop${failed.length === 1 ? 'y' : 'ies'} failed:\n${failed.join('\n')}`,
    hint: 'Check the addresses; the campaign itself was not touched.',
  },
  /** `what` says what the variable holds: "the Resend API key". */
  TransportSecretMissing: {
    name: 'SecretMissing',
    message: ({ variable, what }: { variable: string; what: string }) =>
      `The environment variable ${variable} with ${what} is not set.`,
    hint: ({ variable }: { variable: string; what: string }) =>
      `Set ${variable} in the environment (never in nyhetsbrev.yml), or send with --transport outbox.`,
  },
  SendSecretShort: {
    name: 'SecretMissing',
    message: ({ variable, bytes, min }: SecretArgs & { bytes: number }) =>
      `${variable} is ${bytes} bytes long; unsubscribe links need a secret of at least ${min} bytes.`,
    hint: ({ variable }: SecretArgs & { bytes: number }) =>
      `Generate one with \`openssl rand -base64 48\` and set ${variable} to it (the same value \`nyhetsbrev serve\` uses).`,
  },
  SendSecretMissing: {
    name: 'SecretMissing',
    message: ({ variable }: SecretArgs) =>
      `${variable} is not set: the unsubscribe links of a real send must be signed with the secret \`nyhetsbrev serve\` verifies them with.`,
    hint: ({ variable, min }: SecretArgs) =>
      `Set ${variable} (at least ${min} bytes, e.g. \`openssl rand -base64 48\`) in the environment, the same value as for \`nyhetsbrev serve\`.`,
  },
  DkimKeyUnreadable: {
    name: 'TransportError',
    message: ({ file }: { file: string }) => `Cannot read the DKIM private key ${file}.`,
    hint: 'Check transport.smtp.dkim.privateKeyFile in nyhetsbrev.yml and the file permissions.',
  },
} satisfies CatalogPart;

interface ListArgs extends IdArgs {
  frozen: readonly string[];
  asked: readonly string[];
}

interface LockArgs {
  issueId: string;
  holder: { pid: number; host: string; at: string };
  staleMinutes: number;
}

/** Why a send stopped (the deliver loop's stop), on which transport, and the campaign's state line. */
export interface StopArgs {
  issueId: string;
  transport: string;
  perMessage: boolean;
  reason: string;
  chunk: number;
  period?: 'daily' | 'monthly' | undefined;
  /** "37 of 120 recipients were sent." and what remains. */
  state: string;
}

interface UncertainArgs {
  issueId: string;
  uncertain: number;
  state: string;
}
