import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { ContentErrors, publishSite } from '../../src/publish/index.ts';
import { publishPaths } from '../../src/publish/swap.ts';
import { tempDir } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';
import { WEB_FIXTURES, webConfig } from './site.ts';

const config = webConfig();

/** A writable copy of the fixture archive and a target folder beside an empty parent. */
function setup() {
  const root = tempDir('nyhetsbrev-publish-');
  const issuesDir = join(root, 'issues');
  cpSync(join(WEB_FIXTURES, 'archive'), issuesDir, { recursive: true });
  mkdirSync(join(root, 'www'));
  return { root, issuesDir, to: join(root, 'www', 'nyhetsbrev') };
}

/** A config file for running the CLI, at the test config's base URL. */
function writeConfig(root: string): string {
  const file = join(root, 'nyhetsbrev.yml');
  const yaml = `organisation: Nätverket\nnewsletter: Nyhetsbrev\nbaseUrl: ${config.baseUrl}\nsender:\n  from: a@example.org\nfooter: Sidfot.\n`;
  writeFileSync(file, yaml);
  return file;
}

const leftovers = (to: string) => readdirSync(resolve(to, '..')).filter((name) => name !== 'nyhetsbrev');

describe('nyhetsbrev publish', () => {
  it('publishes every published issue into a new folder and reports them as added', async () => {
    const { issuesDir, to } = setup();
    const result = await publishSite(config, { issuesDir, to });
    expect(result.changes.added).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(result.replaced).toBe(true);
    expect(existsSync(join(to, '2026-02'))).toBe(false);
    expect(leftovers(to)).toEqual([]);
  });

  it('replaces the site with exactly what `build` makes and reports issues added, updated and removed', async () => {
    const { issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    cpSync(join(issuesDir, '2026-01'), join(issuesDir, '2026-03'), { recursive: true });
    writeFileSync(
      join(issuesDir, '2026-03', 'issue.md'),
      '---\ntitle: Mars\ndate: 2026-03-26\n---\nNytt i mars.\n',
    );
    writeFileSync(
      join(issuesDir, '2025-11', '02-kalendarium.md'),
      '# Kalendarium\n\n- 5 december: ändrat datum\n',
    );
    rmSync(join(issuesDir, '2025-12'), { recursive: true });
    const result = await publishSite(config, { issuesDir, to });
    expect(result.changes).toMatchObject({
      added: ['2026-03'],
      updated: ['2025-11'],
      removed: ['2025-12'],
      unchanged: ['2026-01'],
    });
    expect(result.changes.otherFiles).toEqual(
      expect.arrayContaining(['index.html', 'feed.xml', 'sitemap.xml']),
    );
    const built = tempDir();
    await buildSite(config, { issuesDir, outDir: built, ids: [], drafts: false });
    expect(hashTree(to)).toEqual(hashTree(join(built, 'web')));
  });

  it('prints what changed from the command line', () => {
    const { root, issuesDir, to } = setup();
    const configFile = writeConfig(root);
    const args = [
      resolve('bin/nyhetsbrev.js'),
      '--config',
      configFile,
      'publish',
      '--to',
      to,
      '--issues',
      issuesDir,
    ];
    const run = () => execFileSync(process.execPath, args, { encoding: 'utf8' });
    const first = run();
    expect(first).toContain(`Published 3 issue(s) to ${to}.`);
    expect(first).toMatch(/^ {2}added: +2025-11, 2025-12, 2026-01$/m);
    expect(run()).toMatch(/^Nothing changed: .* already holds this site \(3 issue\(s\)\)/);
  });

  it('leaves the folder alone and says so when nothing changed', async () => {
    const { issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    const result = await publishSite(config, { issuesDir, to });
    expect(result.replaced).toBe(false);
    expect(result.changes.unchanged).toHaveLength(3);
  });
});

describe('publish atomicity', () => {
  it('leaves the old site byte-identical when the build fails midway', async () => {
    const { issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    const before = hashTree(to);
    const failing = async (...args: Parameters<typeof buildSite>) => {
      await buildSite(...args);
      throw new Error('injected failure after the new site was written');
    };
    await expect(publishSite(config, { issuesDir, to }, failing)).rejects.toThrow(/left as it was/);
    expect(hashTree(to)).toEqual(before);
    expect(leftovers(to)).toEqual([]);
  });

  it('leaves the old site byte-identical when an issue has errors, and names them', async () => {
    const { issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    const before = hashTree(to);
    writeFileSync(
      join(issuesDir, '2025-12', 'issue.md'),
      '---\ntitle: Trasig\ndate: 2025-13-45\n---\nText.\n',
    );
    const error = await publishSite(config, { issuesDir, to }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ContentErrors);
    const files = (error as ContentErrors).files;
    expect(
      files.some(
        (file) => file.path.endsWith('2025-12/issue.md') && file.messages.some((message) => message.fatal),
      ),
    ).toBe(true);
    expect(hashTree(to)).toEqual(before);
  });

  it('leaves the old site intact when the process is killed mid-build; the next publish cleans up', async () => {
    const { root, issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    const before = hashTree(to);
    writeFileSync(join(issuesDir, '2025-11', '02-kalendarium.md'), '# Kalendarium\n\n- ändrat\n');
    const configFile = writeConfig(root);
    const child = spawn(
      process.execPath,
      [resolve('bin/nyhetsbrev.js'), '--config', configFile, 'publish', '--to', to, '--issues', issuesDir],
      { stdio: 'ignore' },
    );
    const { staging } = publishPaths(to);
    await expect.poll(() => existsSync(staging), { timeout: 20_000, interval: 5 }).toBe(true);
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    expect(hashTree(to)).toEqual(before);
    expect(existsSync(staging)).toBe(true);
    const result = await publishSite(config, { issuesDir, to });
    expect(result.recovered.join()).toMatch(/removed the unfinished build/);
    expect(result.changes.updated).toEqual(['2025-11']);
    expect(leftovers(to)).toEqual([]);
  });

  it('restores the previous site when a publish died between its two renames', async () => {
    const { issuesDir, to } = setup();
    await publishSite(config, { issuesDir, to });
    const before = hashTree(to);
    renameSync(to, publishPaths(to).old);
    const result = await publishSite(config, { issuesDir, to });
    expect(result.recovered.join()).toMatch(/restored the previous site/);
    expect(result.replaced).toBe(false);
    expect(hashTree(to)).toEqual(before);
  });

  it('refuses to replace a folder that holds something else, and while another publish runs', async () => {
    const { issuesDir, to } = setup();
    mkdirSync(to);
    writeFileSync(join(to, 'viktig.txt'), 'inte en webbplats');
    await expect(publishSite(config, { issuesDir, to })).rejects.toMatchObject({ name: 'PublishFailed' });
    expect(readdirSync(to)).toEqual(['viktig.txt']);
    rmSync(to, { recursive: true });
    mkdirSync(publishPaths(to).lock);
    writeFileSync(join(publishPaths(to).lock, 'pid'), String(process.ppid));
    await expect(publishSite(config, { issuesDir, to })).rejects.toThrow(/Another publish/);
    expect(existsSync(to)).toBe(false);
  });
});
