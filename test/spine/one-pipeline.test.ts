import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { checkIssue, issueIdOf, issueIds } from '../../src/check/index.ts';
import type { Config } from '../../src/config/schema.ts';
import { renderEmails } from '../../src/load/emails.ts';
import { buildIssue, compileArchive, loadArchive } from '../../src/pipeline.ts';
import { sampleEmail } from '../../src/render/personalise.ts';
import { hasErrors } from '../../src/report/message.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { ALL_ARCHIVES, tempDir, testConfig } from '../support/spine.ts';

/** Every archive of the repository: the fixture archives, the sample issues and send's archive. */
const ARCHIVES = [...ALL_ARCHIVES, resolve('test/send/fixtures/archive')];

const nameOf = (dir: string) => relative(process.cwd(), dir);

/**
 * What `preview` shows and `send` sends of every issue of `dir` that `build` can build (drafts
 * included): `buildIssue`'s email with the sample recipient's links, and its web page. `quiet`:
 * the issues without any message, whose emails the build cache keeps; `refused`: the issues with
 * errors, which `build` refuses; `messages`: every message, those of rendering included.
 */
async function previewed(dir: string, config: Config) {
  const archive = await loadArchive(dir, config);
  const buildable = archive.issues.filter((issue) => !hasErrors(issue.files));
  const issues = [];
  for (const { id } of buildable) {
    const built = await buildIssue(archive, id, config);
    issues.push({ id, email: sampleEmail(built.email, config), web: built.web });
  }
  const quiet = buildable.filter((issue) => issue.files.every((file) => file.messages.length === 0));
  const ids = issues.map((issue) => issue.id);
  return {
    issues,
    quiet: quiet.map((issue) => issue.id),
    refused: issueIds(archive).filter((id) => !ids.includes(id)),
    messages: messagesAsJson(archive.files),
  };
}

/** What `build` wrote of each issue of `ids` into `outDir`. */
function written(outDir: string, ids: readonly string[]) {
  const read = (path: string) => readFileSync(join(outDir, path), 'utf8');
  return ids.map((id) => ({
    id,
    email: { html: read(`email/${id}.html`), text: read(`email/${id}.txt`) },
    web: read(`web/${id}/index.html`),
  }));
}

/** A copy of the sample issues where two issues have warnings: raw HTML, and no `editor`. */
function samplesWithWarnings(): string {
  const dir = tempDir('nyhetsbrev-one-pipeline-warnings-');
  cpSync(resolve('issues'), dir, { recursive: true });
  appendFileSync(join(dir, '2026-09', '02-temamote-ai.md'), '\n<div>Rå HTML</div>\n');
  const intro = join(dir, '2026-10', 'issue.md');
  writeFileSync(intro, readFileSync(intro, 'utf8').replace(/^editor: .*\n/m, ''));
  return dir;
}

describe('one pipeline for build, preview and send', () => {
  it.each(ARCHIVES.map((dir) => [nameOf(dir), dir]))(
    '`build` writes of every issue of %s the email and web page that `preview` and `send` render, cold and from its cache, and refuses the others with the messages `check` gives',
    async (_name, dir) => {
      await samePipeline(dir, testConfig());
    },
  );

  it('does so with a theme too (the sample theme: logo, colours, partials)', () =>
    samePipeline(
      resolve('test/fixtures/web/archive'),
      testConfig(`theme: ${resolve('themes/exempel-myndighet')}\n`),
    ));

  it('does so for issues with warnings, reporting each message once (their emails are never cached)', async () => {
    const { quiet } = await samePipeline(samplesWithWarnings(), testConfig());
    expect(quiet).toEqual(['2026-08', '2026-11']);
  });
});

async function samePipeline(dir: string, config: Config) {
  const { issues, quiet, refused, messages } = await previewed(dir, config);
  const ids = issues.map((issue) => issue.id);
  for (const id of refused) await sameRefusal(dir, id, config);
  if (ids.length === 0) return { quiet };
  const cache = tempDir('nyhetsbrev-one-pipeline-cache-');
  const build = (outDir: string) => buildSite(config, { issuesDir: dir, outDir, ids, drafts: true, cache });
  const cold = tempDir('nyhetsbrev-one-pipeline-out-');
  const coldResult = await build(cold);
  expect(coldResult.built).toEqual(ids);
  expect(written(cold, ids)).toEqual(issues);
  expect(messagesAsJson(coldResult.files)).toEqual(messages);
  // Into a fresh folder: pages rendered again from the cached issues, emails from the cache.
  const warm = tempDir('nyhetsbrev-one-pipeline-out-');
  const warmResult = await build(warm);
  expect(warmResult.emails?.cached).toEqual(quiet);
  expect(written(warm, ids)).toEqual(issues);
  expect(messagesAsJson(warmResult.files)).toEqual(messages);
  return { quiet };
}

/**
 * `build` of an issue with errors writes nothing and reports the read and parse messages
 * `preview` and `send` load it with; `check` reports each of them too (with its rules' own).
 */
async function sameRefusal(dir: string, id: string, config: Config): Promise<void> {
  const outDir = tempDir('nyhetsbrev-one-pipeline-refused-');
  const result = await buildSite(config, { issuesDir: dir, outDir, ids: [id], drafts: true, cache: false });
  expect(result.written).toEqual([]);
  const of = (files: readonly VFile[]) => files.filter((file) => issueIdOf(file) === id);
  expect(hasErrors(of(result.files))).toBe(true);
  const loaded = await loadArchive(dir, config);
  const refusal = messagesAsJson(of(result.files));
  expect(refusal).toEqual(messagesAsJson(of(loaded.files)));
  const checked = await checkIssue(loaded, id, config);
  expect(messagesAsJson(checked.files)).toEqual(expect.arrayContaining(refusal));
}

describe('emails on worker threads', () => {
  const WORKER_ARCHIVES = [
    'issues',
    'test/fixtures/web/archive',
    'test/fixtures/issues/content-blocks',
    'test/send/fixtures/archive',
  ].map((dir) => resolve(dir));

  it.each(WORKER_ARCHIVES.map((dir) => [nameOf(dir), dir]))(
    '`renderEmails` on a worker thread (threads: 1, mainThread: false) gives the emails of %s that `preview` and `send` render',
    async (_name, dir) => {
      await sameOnWorker(dir);
    },
  );

  it('does so beside issues with warnings, which the main thread renders', async () => {
    expect(await sameOnWorker(samplesWithWarnings())).toEqual(['2026-08', '2026-11']);
  });
});

/**
 * Renders the emails of every issue of `dir` that `build` builds on one worker thread, none on
 * the main thread but those with messages, and compares them with `preview`'s. Returns the ids
 * whose emails a second run took from the cache: those the worker rendered.
 */
async function sameOnWorker(dir: string): Promise<string[]> {
  const config = testConfig();
  const { issues, messages } = await previewed(dir, config);
  const ids = issues.map((issue) => issue.id);
  const cache = tempDir('nyhetsbrev-one-pipeline-worker-cache-');
  const archive = await compileArchive(dir, config, { cache: false });
  const onWorker = await renderEmails(archive, ids, config, { cache, threads: 1, mainThread: false });
  expect(onWorker.emails).toEqual(issues.map(({ id, email }) => ({ id, email })));
  expect(onWorker.rendered).toEqual(ids);
  expect(messagesAsJson(archive.files)).toEqual(messages);
  const again = await renderEmails(archive, ids, config, { cache, threads: 0 });
  return again.cached;
}
