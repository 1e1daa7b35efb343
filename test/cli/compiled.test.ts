import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/spine.ts';

const ROOT = resolve('.');

/** A package with this repo's bin/ and node_modules, and a src/cli/main.ts that says what runs it. */
function tinyPackage(): {
  root: string;
  edit(text: string): void;
  cli(): string;
  compile(...args: string[]): void;
} {
  const root = tempDir('nyhetsbrev-bin-');
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'tsconfig.json'), join(root, 'tsconfig.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
  mkdirSync(join(root, 'src/cli'), { recursive: true });
  const edit = (text: string) =>
    writeFileSync(
      join(root, 'src/cli/main.ts'),
      `const from: string = import.meta.url.endsWith('.js') ? 'compiled' : 'source';
export async function main(argv: string[]): Promise<number> {
  process.stdout.write(\`\${from} ${text} \${argv.slice(2).join(' ')}\`);
  return 3;
}\n`,
    );
  edit('v1');
  const cli = () => {
    const result = spawnSync(process.execPath, [join(root, 'bin/nyhetsbrev.js'), 'a', 'b'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(3);
    return result.stdout;
  };
  const compile = (...args: string[]) => {
    const result = spawnSync(process.execPath, [join(root, 'bin/compile.js'), ...args], { encoding: 'utf8' });
    expect(result.status).toBe(0);
  };
  return { root, edit, cli, compile };
}

describe('bin/nyhetsbrev.js', () => {
  it('runs lib/ when it was compiled from src/ as it is, else the sources through tsx', () => {
    const pkg = tinyPackage();
    expect(pkg.cli()).toBe('source v1 a b');
    pkg.compile();
    expect(pkg.cli()).toBe('compiled v1 a b');
    pkg.edit('v2');
    expect(pkg.cli()).toBe('source v2 a b');
    pkg.compile();
    expect(pkg.cli()).toBe('compiled v2 a b');
    writeFileSync(join(pkg.root, 'src/cli/extra.ts'), 'export const extra = 1;\n');
    expect(pkg.cli()).toBe('source v2 a b');
    pkg.compile();
    rmSync(join(pkg.root, 'src/cli/extra.ts'));
    expect(pkg.cli()).toBe('source v2 a b');
  });

  it('compiles with --if-stale only when lib/ does not match src/, and removes outputs of deleted sources', () => {
    const pkg = tinyPackage();
    writeFileSync(join(pkg.root, 'src/cli/extra.ts'), 'export const extra = 1;\n');
    pkg.compile('--if-stale');
    const stamp = join(pkg.root, 'lib/.source-key');
    const compiledAt = statSync(stamp).mtimeMs;
    pkg.compile('--if-stale');
    expect(statSync(stamp).mtimeMs).toBe(compiledAt);
    rmSync(join(pkg.root, 'src/cli/extra.ts'));
    pkg.compile('--if-stale');
    expect(() => statSync(join(pkg.root, 'lib/cli/extra.js'))).toThrow();
    expect(readFileSync(join(pkg.root, 'lib/cli/main.js'), 'utf8')).toContain('v1');
  });
});

describe('the compiled CLI', () => {
  it('starts worker threads from lib/ (the worker is JavaScript there)', () => {
    // A run that returns nothing on the main thread: every result must come from the worker.
    const lib = (path: string) => JSON.stringify(pathToFileURL(join(ROOT, 'lib', path)).href);
    const script = join(tempDir('nyhetsbrev-worker-'), 'run.mjs');
    writeFileSync(
      script,
      `const { runInParallel } = await import(${lib('load/parallel.js')});
const { issueFolders } = await import(${lib('read/index.js')});
const { scanIssue } = await import(${lib('read/scan.js')});
const { loadConfig } = await import(${lib('config/load.js')});
const config = loadConfig('nyhetsbrev.yml', { explicit: false });
const folders = await issueFolders(${JSON.stringify(join(ROOT, 'test/fixtures/issues/teasers'))});
const jobs = folders.map((folder) => ({ ...scanIssue(folder), feed: true }));
const data = { config, kind: 'compile', context: undefined };
const results = await runInParallel('compile', jobs, data, { threads: 1, mainThread: false }, () => undefined);
process.stdout.write(results.map((result) => result?.id ?? 'main thread').join(' '));
`,
    );
    const result = spawnSync(process.execPath, [script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('2024-01 2024-02 2024-03 2024-04 2024-05 2024-06');
  });
});
