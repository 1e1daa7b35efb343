import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpus } from '../../bench/corpus.ts';
import { compileArchive } from '../../src/load/index.ts';
import { compileJob, isWritten } from '../../src/load/jobs.ts';
import type { BuildOptions } from '../../src/build/index.ts';
import { compileInParallel, runInParallel } from '../../src/load/parallel.ts';
import { fingerprint, IssueCache } from '../../src/cache/index.ts';
import { readPack, writePack } from '../../src/cache/pack.ts';
import type { Config } from '../../src/config/schema.ts';
import { issueFolders } from '../../src/read/index.ts';
import { scanIssue } from '../../src/read/scan.ts';
import { tempDir } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';
import { buildWeb, WEB_FIXTURES, webConfig } from './site.ts';

const MARK = '<p>UR-CACHEN</p>';

/** A temp copy of the web fixture archive and a fresh cache folder. */
function setup(): { issues: string; cache: string } {
  const issues = tempDir('nyhetsbrev-cache-issues-');
  cpSync(join(WEB_FIXTURES, 'archive'), issues, { recursive: true });
  return { issues, cache: tempDir('nyhetsbrev-cache-') };
}

/** Builds the web archive (as `publish` does) into a fresh folder; returns its file hashes. */
async function build(issues: string, options: Partial<BuildOptions> = {}, config: Config = webConfig()) {
  const { outDir, site, result } = await buildWeb(
    issues,
    { outDir: tempDir('nyhetsbrev-cache-out-'), ...options },
    config,
  );
  return { tree: hashTree(site), outDir, files: result.files };
}

/** The path of the one pack in `cache`. */
function packPath(cache: string): string {
  const [name] = readdirSync(cache).filter((file) => file.endsWith('.pack'));
  return join(cache, name!);
}

/** Puts a marker into the cached page content of `id`, so a page built from the cache shows it. */
function tamper(cache: string, id: string, config: Config = webConfig()): void {
  const print = fingerprint(config);
  const pack = packPath(cache);
  const entries = readPack(pack, pack.replace(/\.pack$/, ''), print);
  entries[id]!.issue.html.intro += MARK;
  writePack(pack, pack.replace(/\.pack$/, ''), print, entries);
}

function page(outDir: string, id: string): string {
  return readFileSync(join(outDir, 'web', id, 'index.html'), 'utf8');
}

describe('the build cache', () => {
  it('gives the same bytes as a build without it, taking unchanged issues from it', async () => {
    const { issues, cache } = setup();
    const uncached = await build(issues, { cache: false });
    expect((await build(issues, { cache })).tree).toEqual(uncached.tree);
    expect((await build(issues, { cache })).tree).toEqual(uncached.tree);
    tamper(cache, '2025-12');
    const tampered = await build(issues, { cache });
    expect(page(tampered.outDir, '2025-12')).toContain(MARK);
    expect(page(tampered.outDir, '2025-11')).not.toContain(MARK);
  });

  it('parses an issue again when one of its sections, an image it shows, or the config changed', async () => {
    const { issues, cache } = setup();
    await build(issues, { cache });
    tamper(cache, '2025-12');
    appendFileSync(
      join(
        issues,
        '2025-12',
        readdirSync(join(issues, '2025-12')).find((name) => name.startsWith('01-'))!,
      ),
      '\nEn ny mening.\n',
    );
    const edited = await build(issues, { cache });
    expect(page(edited.outDir, '2025-12')).not.toContain(MARK);
    expect(edited.tree).toEqual((await build(issues, { cache: false })).tree);

    tamper(cache, '2026-01');
    appendFileSync(join(issues, '2026-01', 'images', 'karta.png'), Buffer.from([0]));
    expect(page((await build(issues, { cache })).outDir, '2026-01')).not.toContain(MARK);

    tamper(cache, '2026-01');
    const other = webConfig('teasers: 3');
    const reconfigured = await build(issues, { cache }, other);
    expect(page(reconfigured.outDir, '2026-01')).not.toContain(MARK);
    expect(reconfigured.tree).toEqual((await build(issues, { cache: false }, other)).tree);
  });

  it('never keeps an issue with messages, so every build reports them', async () => {
    const { issues, cache } = setup();
    const path = join(issues, '2025-11', 'issue.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^editor:.*\n/m, ''));
    for (let round = 0; round < 2; round++) {
      const { files } = await build(issues, { cache });
      const warnings = files.find((file) => file.path === path)?.messages.map((message) => message.ruleId);
      expect(warnings).toEqual(['front-matter']);
    }
    const pack = packPath(cache);
    const entries = Object.keys(readPack(pack, pack.replace(/\.pack$/, ''), fingerprint(webConfig())));
    expect(entries).not.toContain('2025-11');
    expect(entries).toContain('2025-12');
  });

  it('holds no freshly compiled issue HTML: it goes to the cache at once and is read back when used', async () => {
    const { issues, cache } = setup();
    const config = webConfig();
    const cached = await compileArchive(issues, config, { cache, threads: 0 });
    const plain = await compileArchive(issues, config, { cache: false, threads: 0 });
    expect(cached.issues).toEqual(plain.issues);
    const [first, second] = cached.issues.filter((issue) => cached.keys.has(issue.id)); // no messages
    expect(second!.html).toBeDefined(); // read last
    // With the content files gone, an issue has no HTML to give.
    const contents = packPath(cache).replace(/\.pack$/, '');
    for (const name of readdirSync(contents)) rmSync(join(contents, name));
    expect(() => first!.html).toThrow(/missing or damaged/);
  });

  it('builds as if there were none when its file is not a pack', async () => {
    const { issues, cache } = setup();
    const expected = (await build(issues, { cache })).tree;
    writeFileSync(packPath(cache), readFileSync(packPath(cache)).subarray(0, 1000));
    expect((await build(issues, { cache })).tree).toEqual(expected);
  });
});

describe('compiling on worker threads', () => {
  it('compiles on a worker thread what the main thread compiles', async () => {
    const issues = tempDir('nyhetsbrev-worker-');
    writeCorpus(issues, 6, { sections: 3 });
    const jobs = (await issueFolders(issues)).map((folder) => ({ ...scanIssue(folder)!, feed: true }));
    const config = webConfig();
    const onWorker = await compileInParallel(jobs, config, { threads: 1, mainThread: false });
    expect(onWorker.every(Boolean)).toBe(true);
    expect(onWorker).toEqual(jobs.map((job) => compileJob(job, config)));
  });

  it('lets the worker write the cache content of what it compiles, and reads it back the same', async () => {
    const issues = tempDir('nyhetsbrev-worker-cache-');
    writeCorpus(issues, 6, { sections: 3 });
    const config = webConfig();
    const cache = IssueCache.open(
      tempDir('nyhetsbrev-worker-cache-dir-'),
      issues,
      config,
      fingerprint(config),
    );
    const folders = await issueFolders(issues);
    const jobs = folders.map((folder, index) => ({
      ...scanIssue(folder)!,
      feed: true,
      content: cache.contentFile(`key-${index}`),
    }));
    let written = 0;
    const onWorker = await compileInParallel(jobs, config, {
      threads: 1,
      mainThread: false,
      settle: (index, result) => {
        if (!isWritten(result)) return result;
        written++;
        expect(result.issue).not.toHaveProperty('html');
        return cache.keepWritten(jobs[index]!.id, `key-${index}`, result.issue);
      },
    });
    expect(written).toBe(jobs.length);
    expect(readdirSync(dirname(jobs[0]!.content))).toHaveLength(jobs.length);
    const plain = (issue: unknown) => JSON.parse(JSON.stringify(issue)) as unknown;
    expect(onWorker.map(plain)).toEqual(jobs.map((job) => plain(compileJob(job, config))));
  });

  it('compiles on the main thread the jobs of a worker that outgrew its heap limit', async () => {
    const issues = tempDir('nyhetsbrev-worker-limit-');
    writeCorpus(issues, 6, { sections: 2 });
    // ≈ 75 KB of list items: parsing it takes more than a 32 MB heap, the others far less.
    const item = '- Ett *ord* och [en länk](https://example.org/a) med **fetstil** och `kod`\n';
    writeFileSync(join(issues, '2000-06', '03-lang.md'), `# Lång lista\n\n${item.repeat(1000)}`);
    const jobs = (await issueFolders(issues)).map((folder) => ({ ...scanIssue(folder)!, feed: true }));
    const config = webConfig();
    const onMain: string[] = [];
    const results = await runInParallel(
      'compile',
      jobs,
      { config, kind: 'compile', context: undefined },
      {
        threads: 1,
        mainThread: false,
        resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
      },
      (job) => (onMain.push(job.id), compileJob(job, config)),
    );
    expect(results).toEqual(jobs.map((job) => compileJob(job, config)));
    // The worker compiled issues before it died on the long one, which the main thread did.
    expect(onMain).toContain('2000-06');
    expect(onMain.length).toBeLessThan(jobs.length);
    // A worker near its limit collects many times over before it dies; the machine is shared.
  }, 120_000);
});
