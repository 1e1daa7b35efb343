import type { CatalogPart } from './names.ts';

const NOT_STARTED = 'nyhetsbrev serve did not start:';

/** Why a bounce mailbox cannot be read. */
const MAILBOX_PROBLEMS = {
  unreadable: 'it does not exist or cannot be read',
  'not-maildir': 'it is a folder but not a Maildir (no cur/, new/ and tmp/ in it)',
  'not-mbox': 'it is neither a Maildir folder nor an mbox file (no "From " line at its start)',
} as const;

interface SecretArgs {
  variable: string;
  min: number;
}

/** Errors of `serve`, `bounces` and `report`. */
export const SERVE = {
  ServeCannotListen: {
    name: 'ServeRefused',
    message: ({ host, port, reason }: ListenArgs) =>
      `nyhetsbrev serve cannot listen on ${host}:${port}: ${reason}.`,
    hint: ({ reason }: ListenArgs) =>
      reason === 'EADDRINUSE'
        ? 'Another program uses that port: stop it, or pass another --port.'
        : 'Check --host (an address of this machine) and --port.',
  },
  /** `bytes` is 0 when the secret is not set. */
  ServeSecretMissing: {
    name: 'ServeRefused',
    message: ({ variable, bytes, min }: SecretArgs & { bytes: number }) =>
      bytes === 0
        ? `${NOT_STARTED} ${variable} is not set.`
        : `${NOT_STARTED} ${variable} is ${bytes} bytes long, shorter than the ${min} bytes it needs.`,
    hint: ({ variable, min }: SecretArgs & { bytes: number }) =>
      `Set ${variable} to a random value of at least ${min} bytes (e.g. \`openssl rand -base64 48\`), the same one \`send\` uses, so unsubscribe links in sent emails stay valid.`,
  },
  ServeWebhookSecretInvalid: {
    name: 'ServeRefused',
    message: ({ variable }: { variable: string }) =>
      `${NOT_STARTED} ${variable} is not a webhook signing secret.`,
    hint: ({ variable }: { variable: string }) =>
      `Copy the signing secret (it starts with whsec_) from the webhook's page in Resend into ${variable}, or unset it to turn the webhook off.`,
  },
  ServeDatabaseBusy: {
    name: 'ServeRefused',
    message: ({ path, seconds }: { path: string; seconds: number }) =>
      `${NOT_STARTED} another process held the database ${path} for ${seconds} s.`,
    hint: 'Wait for the import or send to finish, then start serve again.',
  },
  ServeDatabaseUnusable: {
    name: 'ServeRefused',
    message: ({ path, reason }: { path: string; reason: string }) =>
      `${NOT_STARTED} it cannot use the database ${path} (${reason}).`,
    hint: 'Check that `database` in the config names a nyhetsbrev database (`nyhetsbrev subscribers list` opens it too); restore it from a backup if it is damaged.',
  },
  BouncesUnreadable: {
    name: 'BouncesUnreadable',
    message: ({ path, problem }: { path: string; problem: keyof typeof MAILBOX_PROBLEMS }) =>
      `Cannot read bounce reports from ${path}: ${MAILBOX_PROBLEMS[problem]}.`,
    hint: 'Give a Maildir folder (with cur/, new/ and tmp/) or an mbox file that the bounce address delivers to.',
  },
  NotSent: {
    name: 'NotSent',
    message: ({ issueId, database }: { issueId: string; database: string }) =>
      `No send of ${issueId} is recorded in ${database}.`,
    hint: 'Check the id (`nyhetsbrev report` lists every issue sent), and that --config names the database the sends used.',
  },
} satisfies CatalogPart;

interface ListenArgs {
  host: string;
  port: number;
  /** The error code (EADDRINUSE…), else its message. */
  reason: string;
}
