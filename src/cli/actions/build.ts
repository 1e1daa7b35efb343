import type { Command } from 'commander';
import { buildSite, type BuildResult } from '../../build/index.ts';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { formatMessages, summarise } from '../../report/reporter.ts';
import { cacheOption } from '../cache-option.ts';
import { configOf } from '../context.ts';
import { errorJson, printJson } from '../json.ts';
import { buildJson } from '../json-shapes.ts';

/** Options of `nyhetsbrev build`. */
export interface BuildOptions {
  issues: string;
  out: string;
  drafts: boolean;
  /** `--emails` / `--no-emails`; undefined: the emails of the issues named, none for the archive. */
  emails?: boolean;
  /** `--cache-dir DIR`; `--no-cache` sets `cache` false. */
  cacheDir?: string;
  cache: boolean;
  json: boolean;
}

/** `nyhetsbrev build`: renders the issues, or throws `CheckFailed` when they have errors. */
export async function build(ids: string[], options: BuildOptions, command: Command): Promise<void> {
  const config = configOf(command);
  // --json: the summary (or the failure) as JSON on stdout, README → Machine-readable output.
  const json = (result?: BuildResult, error: unknown = null): void => {
    if (options.json) printJson(buildJson(options.out, result, errorJson(error) ?? null));
  };
  const result = await buildSite(config, {
    issuesDir: options.issues,
    outDir: options.out,
    ids,
    drafts: options.drafts,
    // A whole-archive build (what a deploy runs) needs the web pages only: the emails are what
    // `preview` and `send` render of one issue. Named issues get theirs, as before.
    email: options.emails ?? ids.length > 0,
    cache: cacheOption(config, options),
  }).catch((error: unknown) => {
    json(undefined, error);
    throw error;
  });
  const report = formatMessages(result.files);
  if (report) process.stderr.write(`${report}\n`);
  const { errors } = summarise(result.files);
  if (errors > 0) {
    const error = new UserError(E.BuildFailed, { errors });
    json(result, error);
    throw error;
  }
  if (options.json) return json(result);
  const emails = result.emails
    ? `; emails: ${result.emails.rendered.length} rendered, ${result.emails.cached.length} from the cache`
    : '';
  process.stdout.write(
    `Built ${result.built.length} issue(s) into ${options.out}/: ${listIds(result.built)} (${result.written.length} files${emails}).\n`,
  );
}

/** `2024-01, 2024-02` — or, for long lists, the first and last with a count between. */
function listIds(ids: string[]): string {
  if (ids.length === 0) return 'none';
  if (ids.length <= 6) return ids.join(', ');
  return `${ids.slice(0, 2).join(', ')} … ${ids.slice(-2).join(', ')}`;
}
