import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import type { Config } from '../config/schema.ts';
import type { ParsedIssue } from '../model.ts';
import type { BuiltIssue } from '../pipeline.ts';
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

/** A check rule: a permanent id (listed in README) and a function that adds messages. */
export interface Rule {
  id: string;
  /** One line on what it checks, for docs and `--help`. */
  description: string;
  check(context: RuleContext): void | Promise<void>;
}
