import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sourceStack } from '../../src/errors/stack.ts';
import { tempDir } from '../support/spine.ts';

// Errors thrown in compiled modules of lib/ (vitest's global setup compiles it): in its own code,
// and in packages bundled into lib/chunks/ (unified and vfile, through the Markdown parser).
const THROWS = `
const wrap = await import(${JSON.stringify(pathToFileURL('lib/text/wrap.js').href)});
const markdown = await import(${JSON.stringify(pathToFileURL('lib/parse/markdown.js').href)});
const stacks = [];
try { wrap.wrap(null, 10); } catch (error) { stacks.push(error); }
try { markdown.micromarkMarkdown(123); } catch (error) { stacks.push(error); }
`;

function node(args: string[], script: string) {
  return spawnSync(process.execPath, [...args, '--input-type=module', '-e', script], { encoding: 'utf8' });
}

describe('a bug’s stack trace', () => {
  it('is printed in the TypeScript sources, as node --enable-source-maps prints it', () => {
    const withNode = node(
      ['--enable-source-maps'],
      `${THROWS}\nprocess.stdout.write(stacks.map((error) => error.stack).join('\\n--\\n'));`,
    );
    const ours = node(
      [],
      `${THROWS}\nconst { sourceStack } = await import(${JSON.stringify(pathToFileURL('lib/errors/stack.js').href)});\n` +
        `process.stdout.write(stacks.map((error) => sourceStack(error.stack)).join('\\n--\\n'));`,
    );
    expect(withNode.status).toBe(0);
    expect(ours.stdout).toBe(withNode.stdout);
    expect(ours.stdout).toMatch(/\(\/.+\/src\/text\/wrap\.ts:\d+:\d+\)/);
    expect(ours.stdout).toMatch(/at new VFile \(\/.+\/node_modules\/vfile\/lib\/index\.js:\d+:\d+\)/);
    expect(ours.stdout).toMatch(/at Module\.micromarkMarkdown \(\/.+\/src\/parse\/markdown\.ts:\d+:\d+\)/);
    expect(ours.stdout).not.toMatch(/lib\/(text|chunks)\//);
  });

  it('maps frame lines in lib/ only: never the message, never a file elsewhere', () => {
    const wrap = resolve('lib/text/wrap.js');
    const elsewhere = join(tempDir('nyhetsbrev-stack-'), 'x.js');
    writeFileSync(`${elsewhere}.map`, readMap(wrap));
    const stack = [
      `Error: the input named ${wrap}:6:22`,
      `    at wrap (${wrap}:6:22)`,
      `    at other (${elsewhere}:6:22)`,
    ].join('\n');
    const [message, ours, theirs] = sourceStack(stack).split('\n');
    expect(message).toBe(`Error: the input named ${wrap}:6:22`);
    expect(ours).toMatch(/^ {4}at wrap \(\/.+\/src\/text\/wrap\.ts:\d+:\d+\)$/);
    expect(theirs).toBe(`    at other (${elsewhere}:6:22)`);
  });

  it('names src/ when the compiled CLI meets a bug (exit 70)', () => {
    // A planted bug: writing to stdout throws, as commander prints the version inside main()'s try.
    const plant = `data:text/javascript,${encodeURIComponent(
      "process.stdout.write = () => { throw new TypeError('planted bug'); };",
    )}`;
    const result = spawnSync(process.execPath, ['--import', plant, 'bin/nyhetsbrev.js', '--version'], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(result.stderr).toContain('internal error (a bug');
    expect(result.stderr).toContain('TypeError: planted bug');
    expect(result.stderr).toMatch(/at Module\.main \(\/.+\/src\/cli\/main\.ts:\d+:\d+\)/);
    expect(result.stderr).not.toContain('lib/cli/main.js');
    expect(result.status).toBe(70);
  });
});

function readMap(file: string): string {
  return readFileSync(`${file}.map`, 'utf8');
}
