import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildSite, type BuildOptions } from '../../src/build/index.ts';
import type { Config } from '../../src/config/schema.ts';
import { tempDir, testConfig } from '../support/spine.ts';

/** Fixture archives of the web tests. */
export const WEB_FIXTURES = resolve('test/fixtures/web');

/** The test config with the web fixtures' lists, an endpoint and an accessibility contact. */
export function webConfig(extra = ''): Config {
  return testConfig(`lists: ${join(WEB_FIXTURES, 'lists.yml')}
endpoint: https://natverket.example.org/prenumeration/
accessibility:
  contact: tillganglighet@natverket.example.org
${extra}`);
}

/** Builds a fixture archive (default `archive`) into a fresh folder; returns the folder. */
export async function buildFixtureSite(
  fixture = 'archive',
  options: Partial<BuildOptions> = {},
  config = webConfig(),
): Promise<string> {
  const outDir = options.outDir ?? tempDir('nyhetsbrev-web-');
  const result = await buildSite(config, {
    issuesDir: join(WEB_FIXTURES, fixture),
    outDir,
    ids: [],
    drafts: false,
    ...options,
  });
  const errors = result.files.flatMap((file) => file.messages.filter((message) => message.fatal));
  if (errors.length > 0) throw new Error(`fixture ${fixture} has errors: ${errors.map(String).join('\n')}`);
  return outDir;
}

/**
 * Builds the web archive of `issues` as `publish` does (no email) into `options.outDir`, default a
 * fresh folder; returns the folder, its `web/` site and the build result.
 */
export async function buildWeb(issues: string, options: Partial<BuildOptions> = {}, config = webConfig()) {
  const outDir = options.outDir ?? tempDir('nyhetsbrev-web-out-');
  const result = await buildSite(config, {
    issuesDir: issues,
    outDir,
    ids: [],
    drafts: false,
    email: false,
    ...options,
  });
  return { outDir, site: join(outDir, 'web'), result };
}

/** Every file under `dir` whose name ends with `ext`, as paths relative to `dir`, sorted. */
export function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(ext)) out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

/** The Pagefind bundles of a built site: `pagefind/` and the merged ones its `shards.json` lists. */
export function searchBundles(site: string): string[] {
  const manifest = JSON.parse(readFileSync(join(site, 'pagefind', 'shards.json'), 'utf8')) as {
    shards: string[];
  };
  return ['pagefind', ...manifest.shards.map((name) => join('pagefind', name))];
}

/** How many pages the search index of a built site holds, over all its bundles. */
export function indexedPages(site: string): number {
  return searchBundles(site).reduce((sum, bundle) => {
    const entry = JSON.parse(readFileSync(join(site, bundle, 'pagefind-entry.json'), 'utf8')) as {
      languages: Record<string, { page_count: number }>;
    };
    return sum + Object.values(entry.languages).reduce((count, language) => count + language.page_count, 0);
  }, 0);
}

/** The sample issues of the repository (`issues/`), by id; empty when there are none yet. */
export const SAMPLE_IDS = existsSync('issues')
  ? readdirSync('issues')
      .filter((name) => existsSync(join('issues', name, 'issue.md')))
      .sort()
  : [];

/** Builds the sample issues (drafts included) into a fresh folder; returns the folder. */
export async function buildSamples(): Promise<string> {
  const outDir = tempDir('nyhetsbrev-samples-');
  await buildSite(webConfig(), { issuesDir: resolve('issues'), outDir, ids: [], drafts: true });
  return outDir;
}
