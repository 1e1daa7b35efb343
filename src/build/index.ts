import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { VFile } from 'vfile';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { archiveIssues, buildIssue, loadArchive, type Archive } from '../pipeline.ts';
import { hasErrors } from '../report/message.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { renderIndexPage } from '../render/web.ts';

/** What to build and where. */
export interface BuildOptions {
  issuesDir: string;
  outDir: string;
  /** Issue ids to build; empty: every published issue (and drafts with `drafts`). */
  ids: string[];
  drafts: boolean;
}

/** The outcome: files with messages, and the paths written (none when there were errors). */
export interface BuildResult {
  files: VFile[];
  written: string[];
  built: string[];
}

/**
 * Builds email (HTML + text) and web pages into `outDir`. Content errors in the issues being built
 * stop the build before anything is written; they are returned as messages on `files`.
 */
export async function buildSite(config: Config, options: BuildOptions): Promise<BuildResult> {
  const archive = await loadArchive(options.issuesDir, config);
  const ids = selectIds(archive, options);
  const relevant = relevantFiles(archive, ids, options.ids.length === 0);
  if (hasErrors(relevant)) return { files: archive.files, written: [], built: [] };

  const written: string[] = [];
  const write = async (path: string, content: string) => {
    const full = join(options.outDir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
    written.push(path);
  };
  const sample = { unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN) };
  for (const id of ids) {
    const built = await buildIssue(archive, id, config);
    const email = personalise(built.email, sample);
    await write(`email/${id}.html`, email.html);
    await write(`email/${id}.txt`, email.text);
    await write(`web/${id}/index.html`, built.web);
    for (const image of built.issue.images) {
      const target = join(options.outDir, 'web', id, image.output);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(image.source, target);
      written.push(`web/${id}/${image.output}`);
    }
  }
  await write('web/index.html', renderIndexPage(archiveIssues(archive, { drafts: options.drafts }), config));
  await mkdir(join(options.outDir, 'web', 'assets'), { recursive: true });
  await copyFile(join(TEMPLATES_DIR, 'web', 'assets', 'style.css'), join(options.outDir, 'web', 'assets', 'style.css'));
  written.push('web/assets/style.css');
  return { files: archive.files, written, built: ids };
}

function selectIds(archive: Archive, options: BuildOptions): string[] {
  const known = archive.issues.map((issue) => issue.id);
  if (options.ids.length === 0) return archiveIssues(archive, { drafts: options.drafts }).map((issue) => issue.id).sort();
  for (const id of options.ids) {
    if (known.includes(id)) continue;
    const broken = archive.files.some((file) => file.dirname?.endsWith(`/${id}`));
    if (broken) continue; // its errors are reported as messages
    throw new UserError('IssueNotFound', `There is no issue ${id} in ${archive.dir}.`, {
      hint: known.length > 0 ? `Known issues: ${known.join(', ')}.` : 'Create one with `nyhetsbrev new`.',
    });
  }
  return options.ids.filter((id) => known.includes(id));
}

/** The files whose errors stop this build: every file for a full build, else the chosen issues'. */
function relevantFiles(archive: Archive, ids: string[], all: boolean): VFile[] {
  if (all) return archive.files;
  return archive.files.filter((file) => ids.some((id) => file.dirname?.endsWith(`/${id}`)) || !ids.length);
}
