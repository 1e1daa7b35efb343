import { basename, dirname } from 'node:path';
import type { VFile } from 'vfile';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { buildIssue, type Archive, type BuiltIssue } from '../pipeline.ts';
import { summarise, type Summary } from '../report/reporter.ts';
import type { MarkdownBody, RuleContext } from './rule.ts';
import { RULES } from './rules/index.ts';
import { emailSizes, type EmailSizes } from './sizes.ts';

export type { Rule, RuleContext, RuleExample } from './rule.ts';
export { PARSE_RULES, RULES, type RuleDoc } from './rules/index.ts';
export { emailSizes, kilobytes, LIMITS, type EmailSizes } from './sizes.ts';

/** The outcome of checking one issue. */
export interface CheckResult {
  id: string;
  /** The issue's files (and any template with an `mjml` message), carrying every message. */
  files: VFile[];
  /** The rendered issue; undefined when `issue.md` is unusable (see the messages). */
  built: BuiltIssue | undefined;
  /** Sizes of the rendered email, for the preview's meter; undefined when not rendered. */
  sizes: EmailSizes | undefined;
  summary: Summary;
}

const checked = new WeakMap<Archive, Map<string, Promise<CheckResult>>>();

/**
 * Checks one issue of a loaded archive: builds it with `buildIssue` (what build, preview and
 * send render) and runs every rule over the parsed issue and its renders. Problems are messages
 * on the returned files (with the read and parse messages already there); nothing is thrown for
 * content. Throws `IssueNotFound` for an unknown id, and lets render failures (`TemplateError`)
 * through.
 *
 * Messages are added to the archive's VFiles, so the result is remembered per archive and id:
 * calling it again (say, `send`'s preflight after `check`) returns the same result.
 */
export function checkIssue(archive: Archive, id: string, config: Config): Promise<CheckResult> {
  let results = checked.get(archive);
  if (!results) checked.set(archive, (results = new Map<string, Promise<CheckResult>>()));
  let result = results.get(id);
  if (!result) {
    result = runChecks(archive, id, config);
    results.set(id, result);
    result.catch(() => results.delete(id));
  }
  return result;
}

/** Ids of every issue folder in the archive, drafts and unreadable ones included, in order. */
export function issueIds(archive: Archive): string[] {
  return [...new Set(archive.files.map(issueIdOf))].sort();
}

/** The issue id a file belongs to: the name of its folder. */
export function issueIdOf(file: VFile): string {
  return basename(dirname(file.path));
}

async function runChecks(archive: Archive, id: string, config: Config): Promise<CheckResult> {
  const issue = archive.issues.find((candidate) => candidate.id === id);
  if (!issue) {
    const files = archive.files.filter((file) => issueIdOf(file) === id);
    if (files.length === 0) {
      throw new UserError(E.CheckIssueMissing, { id, dir: archive.dir });
    }
    return { id, files, built: undefined, sizes: undefined, summary: summarise(files) };
  }
  const built = await buildIssue(archive, id, config);
  const sizes = emailSizes(built.email.html);
  const bodies: MarkdownBody[] = [
    { kind: 'intro', file: issue.files[0]!, tree: issue.intro.mdast },
    ...issue.sections.map((section): MarkdownBody => ({
      kind: 'section',
      file: section.file,
      tree: section.body.mdast,
    })),
  ];
  const context: RuleContext = {
    config,
    issue,
    issueFile: issue.files[0]!,
    bodies,
    built,
    sizes,
    extraFiles: [],
  };
  for (const rule of RULES) await rule.check(context);
  const files = [...issue.files, ...context.extraFiles];
  return { id, files, built, sizes, summary: summarise(files) };
}

/**
 * Files of several results with template messages merged: every issue reports a broken template,
 * but the reader needs each template message once.
 */
export function uniqueFiles(results: readonly CheckResult[]): VFile[] {
  const files: VFile[] = [];
  const extra = new Map<string, VFile>();
  for (const result of results) {
    for (const file of result.files) {
      if (issueIdOf(file) === result.id) {
        files.push(file);
        continue;
      }
      const known = extra.get(file.path);
      if (!known) {
        extra.set(file.path, file);
        files.push(file);
        continue;
      }
      for (const message of file.messages) {
        const same = known.messages.some(
          (other) =>
            other.reason === message.reason && other.line === message.line && other.column === message.column,
        );
        if (!same) known.messages.push(message);
      }
    }
  }
  return files;
}
