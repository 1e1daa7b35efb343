import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Config } from '../config/schema.ts';
import type { ParsedIssue } from '../model.ts';
import type { BuiltIssue } from '../pipeline.ts';
import type { Severity } from '../report/message.ts';
import type { EmailSizes } from './sizes.ts';

/** One Markdown body of an issue: the intro of `issue.md` or a section, with its file. */
export interface MarkdownBody {
  kind: 'intro' | 'section';
  file: VFile;
  /** mdast as parsed, headings already shifted one level down (`#` → depth 2). */
  tree: Root;
}

/** What a rule sees: the parsed issue, its Markdown bodies, and the renders when they exist. */
export interface RuleContext {
  config: Config;
  issue: ParsedIssue;
  /** `issue.md`: where issue-wide messages (sizes, preheader, status) go. */
  issueFile: VFile;
  bodies: MarkdownBody[];
  /** The rendered email and web page; undefined when rendering failed. */
  built: BuiltIssue | undefined;
  /** Sizes of the rendered email; undefined when rendering failed. */
  sizes: EmailSizes | undefined;
  /** Extra files a rule reports on (templates, for `mjml`); returned with the issue's files. */
  extraFiles: VFile[];
}

/**
 * An example issue for a rule (remark-lint's ok/not-ok model): its files, and the messages the
 * rule gives for them. test/check/examples.test.ts checks every example of every rule.
 */
export interface RuleExample {
  /** What the example shows: the name of its test. */
  name: string;
  /**
   * Files of the example's issue folder `2024-03/`, by name. They are added to {@link EXAMPLE_ISSUE}
   * (an `issue.md` given here replaces the default one; `null` leaves it out). Bytes are written
   * as they are (a file that is not UTF-8), text as UTF-8.
   */
  files: Readonly<Record<string, string | Uint8Array | null>>;
  /**
   * Files of a theme folder `theme/` beside the issue folder, by name, which the example's config
   * then names (`theme:`): for rules that judge the theme or the email partials it brings
   * (`email/header.mjml.hbs`, `email/footer.mjml.hbs`; see README → Themes). It needs a
   * `theme.yml`. Left out: the default theme.
   */
  theme?: Readonly<Record<string, string>>;
  /**
   * The rule's messages for these files, in order, each as `file:line:column severity reason`
   * (`file severity reason` when the message has no place), `file` relative to the issue folder
   * (a theme's files as `theme/…`). A `…` in a reason matches any text there (a size, or the rest
   * of the reason). Left out: an ok example, which gives none.
   */
  messages?: readonly string[];
}

/** A file of lines, each ending in a newline: `lines('# Titel', '', 'Text.')`; line numbers are easy to count. */
export function lines(...text: string[]): string {
  return text.map((line) => `${line}\n`).join('');
}

/**
 * The issue every example starts from: folder `2024-03/` holding this `issue.md` (7 lines: front
 * matter with `status: ready`, `date: 2024-03-28` and no `preheader:`, then a one-line intro) and
 * `images/omslag.png` (a 240-byte 120×60 PNG). It gives no message of any rule.
 */
export const EXAMPLE_ISSUE: Readonly<Record<string, string>> = {
  'issue.md': lines(
    '---',
    'title: Vårens arbete i nätverket',
    'date: 2024-03-28',
    'editor: Karin Lindqvist, kanslichef',
    'status: ready',
    '---',
    'Välkommen till marsnumret. Våren är här, och forumen har mycket att berätta.',
  ),
};

/**
 * A check rule: one file per rule in src/check/rules/, listed in `RULES` (src/check/rules/index.ts),
 * which README's rule table (`npm run readme`) and `nyhetsbrev check --help` are made from.
 *
 * ```ts
 * export const imageAlt: Rule = {
 *   id: 'image-alt', // permanent: every message carries it
 *   description: 'images have alt text', // one line
 *   severity: ['error'], // what its messages can be, the usual first
 *   examples: [
 *     { name: 'an image with alt text', files: { '01-bild.md': lines('# Bild', '', '![Ett diagram](images/omslag.png)') } },
 *     {
 *       name: 'an image without',
 *       files: { '01-bild.md': lines('# Bild', '', '![](images/omslag.png)') },
 *       messages: ['01-bild.md:3:1 error Unexpected image without alt text, expected a description of the image'],
 *     },
 *   ],
 *   check({ bodies }) {
 *     // for each problem: report(file, 'Unexpected …, expected …', { ruleId: 'image-alt', place, hint })
 *   },
 * };
 * ```
 *
 * Keep the module cheap to import (`check --help` loads every rule): import heavy libraries
 * inside `check`, with `await import()`.
 */
export interface Rule {
  id: string;
  /** One line on what it checks, for README and `check --help`. */
  description: string;
  /** The severities its messages can have, the usual one first. */
  severity: readonly Severity[];
  /** Ok examples (no message) and not-ok ones (with the messages), run as the rule's tests. */
  examples: readonly RuleExample[];
  check(context: RuleContext): void | Promise<void>;
}

/**
 * What the docs say about a rule: its id, what it checks, its severities and its examples. The
 * rules of reading and parsing (`PARSE_RULES`) are only this: their checks run in those stages.
 */
export type RuleDoc = Pick<Rule, 'id' | 'description' | 'severity' | 'examples'>;
