import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir, fingerprint } from '../../src/cache/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';

const CONFIG = `organisation: Nätverket
newsletter: Nyhetsbrev
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
  from: nyhetsbrev@natverket.example.org
footer: Du får det här brevet.
`;

describe('where the build cache lives', () => {
  const config = parseConfig(`${CONFIG}cache:\n  dir: .cache/brev\n`, '/srv/site/nyhetsbrev.yml');

  it('takes --cache-dir, then NYHETSBREV_CACHE, then the config, then node_modules/.cache', () => {
    const cwd = tempDir('nyhetsbrev-cache-cwd-');
    expect(config.cache?.dir).toBe('/srv/site/.cache/brev');
    expect(defaultCacheDir({ NYHETSBREV_CACHE: 'env' }, cwd, { flag: 'flag', config })).toBe(
      join(cwd, 'flag'),
    );
    expect(defaultCacheDir({ NYHETSBREV_CACHE: 'env' }, cwd, { flag: false, config })).toBe(false);
    expect(defaultCacheDir({ NYHETSBREV_CACHE: 'env' }, cwd, { config })).toBe(join(cwd, 'env'));
    expect(defaultCacheDir({ NYHETSBREV_CACHE: 'off' }, cwd, { config })).toBe(false);
    expect(defaultCacheDir({}, cwd, { config })).toBe('/srv/site/.cache/brev');
    writeFileSync(join(cwd, 'node_modules'), '');
    expect(defaultCacheDir({}, cwd, {})).toBe(join(cwd, 'node_modules', '.cache', 'nyhetsbrev'));
  });

  it('keeps the cache valid when only its location changes', () => {
    const plain = parseConfig(CONFIG, '/srv/site/nyhetsbrev.yml');
    expect(fingerprint(config)).toBe(fingerprint(plain));
    expect(fingerprint(testConfig())).not.toBe(fingerprint(plain));
  });

  it('`build --cache-dir DIR` fills DIR, and `--no-cache` writes no cache', () => {
    const issues = tempDir('nyhetsbrev-cache-issues-');
    cpSync(join(ISSUE_FIXTURES, 'teasers'), issues, { recursive: true });
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          'bin/nyhetsbrev.js',
          'build',
          '--issues',
          issues,
          '--out',
          tempDir('nyhetsbrev-cache-out-'),
          ...args,
        ],
        { encoding: 'utf8', env: { ...process.env, CI: 'true', NYHETSBREV_CACHE: join(issues, 'unused') } },
      );
    const cache = join(tempDir('nyhetsbrev-cache-flag-'), 'kept');
    expect(run('--cache-dir', cache).status).toBe(0);
    expect(readdirSync(cache)).toEqual(expect.arrayContaining(['outputs', 'search']));
    expect(run('--no-cache').status).toBe(0);
    expect(existsSync(join(issues, 'unused'))).toBe(false);
  });
});
