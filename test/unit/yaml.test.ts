import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { UserError } from '../../src/errors.ts';
import { parseYaml } from '../../src/yaml.ts';
import { brief, checkArchive, copyFixture } from '../check/helpers.ts';

/** YAML whose aliases expand to 10^8 values (a "billion laughs"); its first alias is on line 2. */
function laughs(last: string): string {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (const name of 'bcdefgh') {
    const previous = String.fromCharCode(name.charCodeAt(0) - 1);
    lines.push(`${name}: &${name} [${Array<string>(10).fill(`*${previous}`).join(', ')}]`);
  }
  lines.push(last);
  return `${lines.join('\n')}\n`;
}

describe('YAML with aliases that expand too far', () => {
  it('is an error at the first alias, never a throw', () => {
    const yaml = parseYaml(laughs('i: *h'));
    expect(yaml.error).toMatchObject({ line: 2, column: 8 });
    expect(yaml.error?.message).toMatch(/alias/i);
    expect(yaml.data).toBeUndefined();
    expect(parseYaml('a: &a [1]\nb: *a\n')).toMatchObject({ error: undefined, data: { a: [1], b: [1] } });
  });

  it('in the config: ConfigInvalid at its line', () => {
    let caught: unknown;
    try {
      parseConfig(laughs('organisation: *h'), '/srv/nyhetsbrev/nyhetsbrev.yml');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).name).toBe('ConfigInvalid');
    expect((caught as UserError).place).toBe('/srv/nyhetsbrev/nyhetsbrev.yml:2:8');
  });

  it('in front matter: a front-matter error at its line, the issue still checked', async () => {
    const dir = copyFixture('clean');
    const section = join(dir, '2024-03', '01-vagledning.md');
    writeFileSync(section, `---\n${laughs('title: *h')}---\n${readFileSync(section, 'utf8')}`);
    const { messages } = await checkArchive(dir);
    expect(brief(messages)).toContain('2024-03/01-vagledning.md:3:8 error front-matter');
  });
});
