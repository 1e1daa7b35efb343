import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARSE_RULES, RULES } from '../../src/check/index.ts';
import { packagesOf } from '../support/packages.ts';
import { tempDir } from '../support/spine.ts';
import { CHECK_FIXTURES } from '../check/helpers.ts';

// An --import module that records every module the process loads into the file named by
// TRACE_FILE: ES modules as resolved (CommonJS ones imported from ESM included) and, at exit,
// the CommonJS modules in the require cache (the MJML bundle is required).
const TRACE = `data:text/javascript,${encodeURIComponent(`
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.TRACE_FILE, result.url + '\\\\n');
  return result;
}\`));
process.on('exit', () => {
  const required = Object.keys(createRequire(process.cwd() + '/').cache);
  appendFileSync(process.env.TRACE_FILE, required.map((path) => path + '\\n').join(''));
});
`)}`;

function run(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['bin/nyhetsbrev.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...env },
  });
}

/** The npm packages a run of the CLI loads (the result cache off). */
function packagesLoaded(args: string[]): string[] {
  return traced(args, { NYHETSBREV_CACHE: 'off' }).packages;
}

/** A run of the CLI: what it printed and the npm packages it loaded. */
function traced(args: string[], env: Record<string, string>): { stdout: string; packages: string[] } {
  const trace = join(tempDir('nyhetsbrev-trace-'), 'modules.txt');
  const result = spawnSync(process.execPath, ['--import', TRACE, 'bin/nyhetsbrev.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', TRACE_FILE: trace, ...env },
  });
  expect(result.stderr).toBe('');
  return { stdout: result.stdout, packages: packagesOf(readFileSync(trace, 'utf8').trim().split('\n')) };
}

describe('nyhetsbrev start-up', () => {
  it('prints the version with --version and -V', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const result = run([flag]);
      expect(result.status).toBe(0);
      expect(result.stdout).toBe(`${version}\n`);
    }
  });

  it('loads no stage for --help and --version: commander is the only package', () => {
    expect(packagesLoaded(['--help'])).toEqual(['commander']);
    expect(packagesLoaded(['--version'])).toEqual(['commander']);
  });

  it('loads the renderers and the parser when a command runs (the trace sees them)', () => {
    const loaded = packagesLoaded(['check', '--issues', join(CHECK_FIXTURES, 'clean'), '--json']);
    // (MJML compiles on a thread of its own, whose modules the trace does not see.)
    expect(loaded).toEqual(expect.arrayContaining(['unified', 'zod', 'commander']));
    expect(loaded).not.toContain('better-sqlite3');
  });

  it('keeps MJML’s results: checking an unchanged issue again loads no MJML and reports the same', () => {
    const cache = tempDir('nyhetsbrev-mjml-cache-');
    const args = ['check', '--issues', join(CHECK_FIXTURES, 'clean'), '--json'];
    const uncached = traced(args, { NYHETSBREV_CACHE: 'off' });
    const first = traced(args, { NYHETSBREV_CACHE: cache });
    // MJML's compile and validation kept (compiled on the MJML thread, which the trace does not see).
    const kept = readdirSync(join(cache, 'results')).map((name) =>
      readFileSync(join(cache, 'results', name), 'utf8'),
    );
    expect(kept.some((entry) => entry.includes('<!doctype html>'))).toBe(true);
    const again = traced(args, { NYHETSBREV_CACHE: cache });
    expect(again.packages).not.toContain('mjml');
    expect(again.packages).toContain('unified');
    expect(again.stdout).toBe(uncached.stdout);
    expect(first.stdout).toBe(uncached.stdout);
    expect(JSON.parse(again.stdout)).toMatchObject({ summary: { errors: 0 } });
  }, 240_000);

  it('loads the rule list, not the renderers, for check --help', () => {
    const loaded = packagesLoaded(['check', '--help']);
    expect(loaded).not.toContain('mjml');
    expect(loaded).not.toContain('unified');
  });
});

describe('nyhetsbrev check --help', () => {
  it('lists every rule with its description and severity, from RULES; so does `help check`', () => {
    for (const args of [
      ['check', '--help'],
      ['help', 'check'],
    ]) {
      const result = run(args);
      expect(result.status).toBe(0);
      for (const rule of [...PARSE_RULES, ...RULES]) {
        expect(result.stdout).toMatch(
          new RegExp(`^ {2}${rule.id} +${escape(rule.description)} \\(${rule.severity.join(' / ')}\\)$`, 'm'),
        );
      }
    }
  });

  it('prints the help with the rule list after a usage error, to stderr (exit 2), and for -h after an id', () => {
    const bogus = run(['check', '--bogus']);
    expect(bogus.status).toBe(2);
    expect(bogus.stdout).toBe('');
    expect(bogus.stderr).toMatch(
      /^error: unknown option '--bogus'\n\nUsage: nyhetsbrev check \[options\] \[ids\.\.\.\]\n/,
    );
    const late = run(['check', '2026-11', '-h']);
    expect(late.status).toBe(0);
    for (const rule of [...PARSE_RULES, ...RULES]) {
      expect(bogus.stderr).toContain(`  ${rule.id} `);
      expect(late.stdout).toContain(`  ${rule.id} `);
    }
    const other = run(['build', '--bogus']);
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/^error: unknown option '--bogus'\n\nUsage: nyhetsbrev build /);
    expect(other.stderr).not.toContain('image-alt');
  });

  it('keeps the rule list out of the other commands’ help', () => {
    expect(run(['build', '--help']).stdout).not.toContain('image-alt');
    expect(run(['--help']).stdout).not.toContain('image-alt');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
