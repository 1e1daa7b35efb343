import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveContext } from '../../src/assemble/index.ts';
import { buildSite, type BuildOptions } from '../../src/build/index.ts';
import { runInParallel } from '../../src/load/parallel.ts';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { personalise, sampleEmail, SAMPLE_TOKEN, unsubscribeUrl } from '../../src/render/personalise.ts';
import { scanIssue } from '../../src/read/scan.ts';
import { ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';

const READY = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05'];

/** A temp copy of the `teasers` fixture (five ready issues and a draft), a cache and an output folder. */
function setup(): { issues: string; cache: string; outDir: string } {
  const issues = tempDir('nyhetsbrev-build-cache-issues-');
  cpSync(join(ISSUE_FIXTURES, 'teasers'), issues, { recursive: true });
  return {
    issues,
    cache: tempDir('nyhetsbrev-build-cache-'),
    outDir: tempDir('nyhetsbrev-build-cache-out-'),
  };
}

/** `nyhetsbrev build` (email and web) of `issues` into `outDir`. */
function build(issues: string, outDir: string, options: Partial<BuildOptions> = {}) {
  return buildSite(testConfig(), { issuesDir: issues, outDir, ids: [], drafts: false, ...options });
}

/** The output of a build without the cache, into a fresh folder. */
async function uncached(issues: string): Promise<Record<string, string>> {
  const outDir = tempDir('nyhetsbrev-build-cache-fresh-');
  await build(issues, outDir, { cache: false });
  return hashTree(outDir);
}

function edit(path: string, change: (text: string) => string): void {
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

describe('`build` with the cache', () => {
  it('takes every unchanged email from the cache on a second build, with the bytes of a build without it', async () => {
    const { issues, cache, outDir } = setup();
    expect((await build(issues, outDir, { cache })).emails).toEqual({ rendered: READY, cached: [] });
    const first = hashTree(outDir);
    const second = await build(issues, tempDir('nyhetsbrev-build-cache-out-'), { cache });
    expect(second.emails).toEqual({ rendered: [], cached: READY });
    expect(first).toEqual(await uncached(issues));

    // The email as `buildIssue` renders it for `preview` and `send`.
    const config = testConfig();
    const archive = await loadArchive(issues, config);
    for (const id of READY) {
      const email = personalise((await buildIssue(archive, id, config)).email, {
        unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN),
      });
      expect(readFileSync(join(outDir, 'email', `${id}.html`), 'utf8')).toBe(email.html);
      expect(readFileSync(join(outDir, 'email', `${id}.txt`), 'utf8')).toBe(email.text);
    }
  });

  it('renders again only the email of an issue whose section was edited', async () => {
    const { issues, cache, outDir } = setup();
    await build(issues, outDir, { cache });
    appendFileSync(join(issues, '2024-03', '01-kalendarium.md'), '\n- 30 april: Valborg\n');
    const result = await build(issues, outDir, { cache });
    expect(result.emails).toEqual({
      rendered: ['2024-03'],
      cached: READY.filter((id) => id !== '2024-03'),
    });
    expect(hashTree(outDir)).toEqual(await uncached(issues));
  });

  it('renders again the emails that show an issue whose title changed (teasers, previous and next)', async () => {
    const { issues, cache, outDir } = setup();
    await build(issues, outDir, { cache });
    edit(join(issues, '2024-03', 'issue.md'), (text) =>
      text.replace(/^title: .*$/m, 'title: Ny rubrik i mars'),
    );
    const result = await build(issues, outDir, { cache });
    expect(result.emails?.rendered).toEqual(['2024-02', '2024-03', '2024-04', '2024-05']);
    expect(readFileSync(join(outDir, 'email', '2024-05.txt'), 'utf8')).toContain('Ny rubrik i mars');
    expect(hashTree(outDir)).toEqual(await uncached(issues));
  });

  it('renders every build the email of an issue with a warning, so the warning is always reported', async () => {
    const { issues, cache, outDir } = setup();
    edit(join(issues, '2024-02', 'issue.md'), (text) => text.replace(/^editor:.*\n/m, ''));
    for (let round = 0; round < 2; round++) {
      const result = await build(issues, outDir, { cache });
      expect(result.emails?.rendered).toEqual(round === 0 ? READY : ['2024-02']);
      const path = join(issues, '2024-02', 'issue.md');
      expect(result.files.find((file) => file.path === path)?.messages.map((m) => m.ruleId)).toEqual([
        'front-matter',
      ]);
    }
  });

  it('says in the CLI summary how many emails were rendered and how many came from the cache', () => {
    const { issues, cache, outDir } = setup();
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        ['bin/nyhetsbrev.js', 'build', '--issues', issues, '--out', outDir, ...args],
        {
          encoding: 'utf8',
          env: { ...process.env, CI: 'true', NYHETSBREV_CACHE: cache },
        },
      );
    expect(run('--emails').stdout).toContain('emails: 5 rendered, 0 from the cache');
    expect(run('--emails').stdout).toContain('emails: 0 rendered, 5 from the cache');
  });

  it('renders no email for the whole archive unless asked (--emails), and those of the issues named', () => {
    const { issues, cache } = setup();
    const run = (...args: string[]) => {
      const outDir = tempDir('nyhetsbrev-build-emails-');
      const result = spawnSync(
        process.execPath,
        ['bin/nyhetsbrev.js', 'build', '--issues', issues, '--out', outDir, '--json', ...args],
        { encoding: 'utf8', env: { ...process.env, CI: 'true', NYHETSBREV_CACHE: cache } },
      );
      expect(result.status, result.stderr).toBe(0);
      const emails = Object.keys(hashTree(outDir)).filter((path) => path.startsWith('email/'));
      return { json: JSON.parse(result.stdout) as { emails: unknown }, emails };
    };
    const archive = run();
    expect(archive.json.emails).toBeNull();
    expect(archive.emails).toEqual([]);
    expect(run('2024-03').emails).toEqual(['email/2024-03.html', 'email/2024-03.txt']);
    expect(run('2024-03', '--no-emails').emails).toEqual([]);
    expect(run('--emails').emails).toHaveLength(2 * READY.length);
  });
});

describe('rendering emails on worker threads', () => {
  it('renders on a worker thread the emails `preview` and `send` render', async () => {
    const config = testConfig();
    const archive = await loadArchive(join(ISSUE_FIXTURES, 'teasers'), config);
    const summaries = archive.issues.map(({ id, meta, introText }) => ({ id, meta, introText }));
    const jobs = READY.map((id) => scanIssue(join(ISSUE_FIXTURES, 'teasers', id))!);
    const onWorker = await runInParallel(
      'email',
      jobs,
      { config, kind: 'email', context: archiveContext(summaries) },
      { threads: 1, mainThread: false },
      () => undefined, // the main thread would give nothing: every email comes from the worker
    );
    const previewed = await Promise.all(
      READY.map(async (id) => sampleEmail((await buildIssue(archive, id, config)).email, config)),
    );
    expect(onWorker).toEqual(previewed);
  });
});
