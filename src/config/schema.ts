import addressparser from 'nodemailer/lib/addressparser';
import * as z from 'zod';
import { parseEmail } from '../audience/email.ts';
import { TRANSPORT_NAMES } from '../send/transport-names.ts';
import type { Theme } from '../theme/load.ts';

/**
 * One sender mailbox — `nyhetsbrev@example.org` or `Kansliet <nyhetsbrev@example.org>` — read the
 * way nodemailer will read it when it writes the header (its addressparser), so what passes here is
 * what the emails carry: exactly one address, valid by the same rule as subscriber addresses.
 */
const mailbox = z.string().superRefine((value, ctx) => {
  const problem = mailboxProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

function mailboxProblem(value: string): string | undefined {
  const quoted = JSON.stringify(value);
  const example = 'such as "Nätverkets kansli <nyhetsbrev@example.org>"';
  const parsed = addressparser(value, { flatten: false });
  if (parsed.length !== 1) {
    return parsed.length === 0
      ? `is empty; expected one email address, ${example}`
      : `${quoted} names ${parsed.length} addresses; expected one, ${example}`;
  }
  const entry = parsed[0]!;
  if ('group' in entry) return `${quoted} is a group; expected one email address, ${example}`;
  if (entry.address === '') return `${quoted} has no email address in it; expected one, ${example}`;
  const result = parseEmail(entry.address);
  if (!result.ok) return `${quoted} is not an email address (${result.reason}); expected one, ${example}`;
  return undefined;
}

/** Where a send goes: the outbox folder (default, no network), Resend's API, or an SMTP relay. */
const transportSchema = z
  .object({
    default: z.enum(TRANSPORT_NAMES).default('outbox'),
    outbox: z.object({ dir: z.string().min(1).default('outbox') }).prefault({}),
    resend: z
      .object({
        /** Name of the environment variable holding the API key (never the key itself). */
        apiKeyEnv: z.string().min(1).default('RESEND_API_KEY'),
        baseUrl: z.url().optional(),
        /** Our own ceiling on API requests per second, below the limit Resend announces (shared per team). */
        maxRequestsPerSecond: z.number().positive().optional(),
      })
      .prefault({}),
    smtp: z
      .object({
        host: z.string().min(1).default('localhost'),
        port: z.number().int().min(1).max(65535).default(587),
        secure: z.boolean().default(false),
        requireTLS: z.boolean().default(true),
        userEnv: z.string().optional(),
        passwordEnv: z.string().optional(),
        maxConnections: z.number().int().min(1).max(50).default(3),
        rateLimitPerSecond: z.number().positive().optional(),
        dkim: z
          .object({
            domainName: z.string().min(1),
            keySelector: z.string().min(1),
            privateKeyFile: z.string().min(1),
          })
          .optional(),
      })
      .prefault({}),
  })
  .prefault({});

const isoDate = z
  .string({ message: 'expected a date as YYYY-MM-DD, such as 2026-05-31' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD, such as 2026-05-31', abort: true })
  .refine((value) => {
    const date = new Date(`${value}T12:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'expected a real calendar date');

/**
 * The accessibility statement's facts. The defaults are the honest ones for a site nobody has
 * audited: partially compliant, assessed by nobody yet, never dated.
 */
const accessibilitySchema = z
  .object({
    /** Feedback contact: an email address, URL or phone number. */
    contact: z.string().min(1).optional(),
    /** Extra text under "Hur tillgänglig är webbplatsen?": Markdown, or a `.md` file. */
    statement: z.string().min(1).optional(),
    /** Compliance with the law (DIGG: helt, delvis, inte förenlig). */
    status: z.enum(['full', 'partial', 'none']).default('partial'),
    /** Content known not to be accessible, one entry per problem (plain text). */
    issues: z.array(z.string().trim().min(1)).default([]),
    assessment: z
      .object({
        /** `self`: the organisation's own review; `external`: by someone else (`by`). */
        method: z.enum(['self', 'external']).default('self'),
        by: z.string().trim().min(1).optional(),
        /** When the site was last assessed; absent: it has not been. */
        date: isoDate.optional(),
      })
      .prefault({}),
    /** When the statement was last updated. */
    updated: isoDate.optional(),
    /** Where to complain about how feedback is handled: the enforcement body (Digg). */
    enforcement: z.url().default('https://www.digg.se/tdosanmalan'),
  })
  .prefault({})
  .superRefine((value, ctx) => {
    if (value.status === 'full' && value.issues.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['status'],
        message: '`full` contradicts the listed `issues`; use `partial`, or remove the issues once fixed',
      });
    }
    if (value.assessment.method === 'external' && !value.assessment.by) {
      ctx.addIssue({
        code: 'custom',
        path: ['assessment', 'by'],
        message: 'expected who assessed the site, such as `by: Granskningsbyrån AB`, with `method: external`',
      });
    }
  });

/** The schema of `nyhetsbrev.yml` as written. Defaults fill what is left out. */
export const configSchema = z
  .object({
    organisation: z.string().min(1),
    newsletter: z.string().min(1),
    baseUrl: z.url({
      protocol: /^https?$/,
      message: 'expected an absolute http(s) URL, such as https://example.org/nyhetsbrev/',
    }),
    locale: z.enum(['sv', 'en']).default('sv'),
    sender: z.object({
      from: mailbox,
      replyTo: mailbox.optional(),
    }),
    teasers: z.number().int().min(0).max(10).default(2),
    footer: z.string().min(1),
    /** Editor signature used by `nyhetsbrev new`. */
    editor: z.string().min(1).optional(),
    /** Unsubscribe / subscribe endpoint base (the `serve` command's public URL). */
    endpoint: z.url().optional(),
    /** SQLite database with subscribers (git-ignored). */
    database: z.string().min(1).default('subscribers/nyhetsbrev.db'),
    lists: z.string().min(1).default('subscribers/lists.yml'),
    /** `List-Id` header value, e.g. `nyhetsbrev.example.org`. Derived from baseUrl when absent. */
    listId: z.string().min(1).optional(),
    /** The accessibility statement, after DIGG's model (README → Accessibility statement). */
    accessibility: accessibilitySchema,
    /** A theme folder (logo, colours, font, partials), relative to this file; unset: the default look (README → Themes). */
    theme: z.string().min(1).optional(),
    /** How the web pages mark links that leave the site (README → External links). */
    externalLinks: z
      .object({
        mark: z.boolean().default(true),
        icon: z.boolean().default(true),
        /** Other hosts of the same website, whose links are not marked (the archive's own never are). */
        sameSite: z
          .array(z.string().regex(/^[a-z0-9.-]+$/i, 'expected a host name such as www.example.org'))
          .default([]),
      })
      .prefault({}),
    transport: transportSchema,
    /** Bounces and complaints over SMTP (README → Bounces and complaints). */
    bounces: z
      .object({
        /** Domain of the VERP Return-Path `bounce+<token>@<domain>`; unset: no VERP, the sender is the envelope sender. */
        domain: z
          .string()
          .regex(
            /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i,
            'expected a domain name such as bounces.example.org',
          )
          .optional(),
        /** Maildir folder or mbox file `serve` reads reports from every hour (same as `nyhetsbrev bounces`). */
        mailbox: z.string().min(1).optional(),
        /** Soft bounces (4.x.x) within `softWindowDays` that suppress an address. */
        softLimit: z.number().int().min(1).max(100).default(3),
        softWindowDays: z.number().int().min(1).max(365).default(30),
      })
      .prefault({}),
    /** How long delivery rows and provider events are kept (README → Retention). */
    retention: z.object({ months: z.number().int().min(1).max(120).default(24) }).prefault({}),
    /** Where `build` and `publish` keep their cache (README → The build cache); relative to this file. */
    cache: z
      .object({ dir: z.string().min(1) })
      .strict()
      .optional(),
    /** The archive's own search (a Pagefind index and the `sok/` page); off for a site searched otherwise. */
    search: z.object({ enabled: z.boolean().default(true) }).prefault({}),
    /** A welcome email after a confirmation (off unless enabled). */
    welcome: z.object({ enabled: z.boolean().default(false) }).prefault({}),
  })
  .strict();

/** The config as written in YAML (before defaults). */
export type ConfigInput = z.input<typeof configSchema>;

/** The resolved config: defaults applied, `baseUrl` normalised to end with `/`, paths absolute. */
export type Config = Omit<z.output<typeof configSchema>, 'theme'> & {
  /** The theme, resolved: the configured one over the default (see `loadTheme`). */
  theme: Theme;
  /** Absolute path of the config file, or undefined for the embedded defaults. */
  file: string | undefined;
  /** Folder that relative paths in the config resolve against. */
  root: string;
};
