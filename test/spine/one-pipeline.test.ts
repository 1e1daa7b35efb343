import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import type { Config } from '../../src/config/schema.ts';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { sampleEmail } from '../../src/render/personalise.ts';
import { hasErrors } from '../../src/report/message.ts';
import { ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';

/** Every fixture archive of whole issues: the issue cases, the check cases, the web archive. */
const ARCHIVES = [
  ...folders(ISSUE_FIXTURES),
  ...folders(resolve('test/fixtures/check')),
  resolve('test/fixtures/web/archive'),
];

function folders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name));
}

/**
 * What `preview` shows and `send` sends of every issue of `dir` that `build` can build (drafts
 * included; an issue with errors is refused by all three): `buildIssue`'s email with the sample
 * recipient's links, and its web page. `quiet`: the issues without any message, whose emails the
 * build cache keeps.
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
  return { issues, quiet: quiet.map((issue) => issue.id) };
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

describe('one pipeline for build, preview and send', () => {
  it.each(ARCHIVES.map((dir) => [dir.split('/').slice(-2).join('/'), dir]))(
    '`build` writes of every issue of %s the email and web page that `preview` and `send` render, cold and from its cache',
    (_name, dir) => samePipeline(dir, testConfig()),
  );

  it('does so with a theme too (the sample theme: logo, colours, partials)', () =>
    samePipeline(
      resolve('test/fixtures/web/archive'),
      testConfig(`theme: ${resolve('themes/exempel-myndighet')}\n`),
    ));
});

async function samePipeline(dir: string, config: Config): Promise<void> {
  const { issues, quiet } = await previewed(dir, config);
  const ids = issues.map((issue) => issue.id);
  const cache = tempDir('nyhetsbrev-one-pipeline-cache-');
  const build = (outDir: string) => buildSite(config, { issuesDir: dir, outDir, ids, drafts: true, cache });
  if (ids.length === 0) {
    // No issue to compare: `build` refuses the archive as `preview` and `send` refuse its issues.
    expect((await build(tempDir('nyhetsbrev-one-pipeline-out-'))).written).toEqual([]);
    return;
  }
  const cold = tempDir('nyhetsbrev-one-pipeline-out-');
  expect((await build(cold)).built).toEqual(ids);
  expect(written(cold, ids)).toEqual(issues);
  // Into a fresh folder: pages rendered again from the cached issues, emails from the cache.
  const warm = tempDir('nyhetsbrev-one-pipeline-out-');
  expect((await build(warm)).emails?.cached).toEqual(quiet);
  expect(written(warm, ids)).toEqual(issues);
}
