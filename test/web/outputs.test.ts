import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildOptions } from '../../src/build/index.ts';
import { fingerprint } from '../../src/cache/index.ts';
import { readPack, writePack } from '../../src/cache/pack.ts';
import { tempDir } from '../support/spine.ts';
import { hashTree } from '../support/tree-hash.ts';
import { buildWeb, WEB_FIXTURES, webConfig } from './site.ts';

const MARK = '<p>UR-CACHEN</p>';

/** A temp copy of the web fixture archive, a cache folder and an output folder. */
function setup(): { issues: string; cache: string; outDir: string } {
  const issues = tempDir('nyhetsbrev-outputs-issues-');
  cpSync(join(WEB_FIXTURES, 'archive'), issues, { recursive: true });
  return { issues, cache: tempDir('nyhetsbrev-outputs-cache-'), outDir: tempDir('nyhetsbrev-outputs-out-') };
}

/** Builds the web archive (as `publish` does) into `outDir`; returns the file hashes of `web/`. */
async function build(issues: string, outDir: string, options: Partial<BuildOptions> = {}) {
  return hashTree((await buildWeb(issues, { outDir, ...options })).site);
}

/** Puts a marker into the cached content of every issue: a page rendered from the cache shows it. */
function tamper(cache: string): void {
  const [name] = readdirSync(cache).filter((file) => file.endsWith('.pack'));
  const pack = join(cache, name!);
  const print = fingerprint(webConfig());
  const entries = readPack(pack, pack.replace(/\.pack$/, ''), print);
  for (const entry of Object.values(entries)) entry.issue.html.intro += MARK;
  writePack(pack, pack.replace(/\.pack$/, ''), print, entries);
}

function page(outDir: string, id: string): string {
  return readFileSync(join(outDir, 'web', id, 'index.html'), 'utf8');
}

function editSection(issues: string, id: string, text: string): void {
  const name = readdirSync(join(issues, id)).find((file) => file.startsWith('01-'))!;
  appendFileSync(join(issues, id, name), text);
}

describe('a build into the folder of an earlier build', () => {
  it('renders no page again whose inputs are unchanged, and rewrites no unchanged file', async () => {
    const { issues, cache, outDir } = setup();
    const first = await build(issues, outDir, { cache });
    const mtime = statSync(join(outDir, 'web', 'feed.xml')).mtimeMs;
    tamper(cache);
    expect(await build(issues, outDir, { cache })).toEqual(first);
    for (const id of ['2025-11', '2025-12', '2026-01']) expect(page(outDir, id)).not.toContain(MARK);
    expect(statSync(join(outDir, 'web', 'feed.xml')).mtimeMs).toBe(mtime);
  });

  it('renders only the page of an issue whose section was edited, with the bytes of a build from scratch', async () => {
    const { issues, cache, outDir } = setup();
    await build(issues, outDir, { cache });
    editSection(issues, '2025-12', '\nEn ny mening.\n');
    const edited = await build(issues, outDir, { cache });
    expect(edited).toEqual(await build(issues, tempDir('nyhetsbrev-outputs-fresh-'), { cache: false }));

    editSection(issues, '2025-12', '\nOch en till.\n');
    await build(issues, tempDir('nyhetsbrev-outputs-other-'), { cache }); // compiles 2025-12 again
    tamper(cache);
    await build(issues, outDir, { cache });
    expect(page(outDir, '2025-12')).toContain(MARK);
    expect(page(outDir, '2025-11')).not.toContain(MARK);
    expect(page(outDir, '2026-01')).not.toContain(MARK);
  });

  it('renders every page again when what issues show of each other changes (a title)', async () => {
    const { issues, cache, outDir } = setup();
    await build(issues, outDir, { cache });
    const path = join(issues, '2025-11', 'issue.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^title: .*$/m, 'title: Ett nytt namn'));
    const renamed = await build(issues, outDir, { cache });
    expect(page(outDir, '2025-12')).toContain('Ett nytt namn'); // its previous-issue link
    expect(renamed).toEqual(await build(issues, tempDir('nyhetsbrev-outputs-fresh-'), { cache: false }));
  });

  it('renders a page again when its file was edited or removed since', async () => {
    const { issues, cache, outDir } = setup();
    const first = await build(issues, outDir, { cache });
    tamper(cache);
    appendFileSync(join(outDir, 'web', '2026-01', 'index.html'), '<!-- ändrad -->');
    rmSync(join(outDir, 'web', 'index.html'));
    rmSync(join(outDir, 'web', '2025-11', 'index.html'));
    await build(issues, outDir, { cache });
    expect(page(outDir, '2026-01')).toContain(MARK); // rendered from the (tampered) cache
    expect(page(outDir, '2025-11')).toContain(MARK);
    expect(page(outDir, '2025-12')).not.toContain(MARK);
    rmSync(cache, { recursive: true });
    expect(await build(issues, outDir, { cache })).toEqual(first);
  });
});
