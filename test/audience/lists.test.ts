import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLists, parseLists, requireLists } from '../../src/audience/index.ts';
import { readPublicLists } from '../../src/read/lists.ts';
import { UserError } from '../../src/errors.ts';
import { ROOT, tempDir, thrown } from './helpers.ts';

function problemsOf(text: string): string {
  try {
    parseLists(text, 'lists.yml');
  } catch (error) {
    if (error instanceof UserError && error.name === 'ConfigInvalid') return error.message;
    throw error;
  }
  throw new Error('expected ConfigInvalid');
}

describe('lists.yml', () => {
  it('the committed file is valid, has a public default list and no address in it', () => {
    const lists = loadLists(join(ROOT, 'subscribers/lists.yml'));
    expect(lists.default).toBe('nyhetsbrev');
    expect(lists.lists.find((list) => list.id === 'nyhetsbrev')?.public).toBe(true);
    expect(lists.lists.map((list) => list.id)).toEqual(
      expect.arrayContaining(['digitalisering', 'arkiv', 'upphandling']),
    );
    expect(JSON.stringify(lists)).not.toContain('@');
  });

  it('reads public as yes/no or true/false', () => {
    const lists = parseLists(
      'default: a\nlists:\n  - {id: a, name: A, description: d, public: yes}\n  - {id: b, name: B, description: d, public: false}\n',
      'x.yml',
    );
    expect(lists.lists.map((list) => list.public)).toEqual([true, false]);
  });

  it('reports every problem at once with file:line:col', () => {
    const message = problemsOf(
      [
        'default: nyhetsbrev',
        'lists:',
        '  - id: Nyhetsbrev',
        '    name: N',
        '    public: yes',
        '  - id: arkiv',
        '    name: ""',
        '    description: d',
        '    public: maybe',
      ].join('\n'),
    );
    expect(message).toContain('lists.yml:3:9 lists.0.id: expected lowercase letters');
    expect(message).toContain('lists.yml:3:5 lists.0.description: is required but missing');
    expect(message).toContain('lists.yml:7:11 lists.1.name: must not be empty');
    expect(message).toContain('lists.yml:9:13 lists.1.public: expected yes or no');
  });

  it('reports a duplicate id and a default that is not a public list, with their lines', () => {
    const message = problemsOf(
      [
        'default: arkiv',
        'lists:',
        '  - {id: arkiv, name: A, description: d, public: no}',
        '  - {id: arkiv, name: B, description: d, public: no}',
      ].join('\n'),
    );
    expect(message).toContain('lists.yml:4:10 lists.1.id: "arkiv" is used twice');
    expect(message).toContain('lists.yml:1:10 default: "arkiv" must be a public list');
  });

  it('throws UnknownList naming the known ids for an id that is not defined', () => {
    const lists = loadLists(join(ROOT, 'subscribers/lists.yml'));
    const error = thrown(() => requireLists(lists, ['arkiv', 'forum-x']));
    expect(error.name).toBe('UnknownList');
    expect(error.hint).toContain('Known lists: nyhetsbrev, digitalisering, arkiv');
    expect(requireLists(lists, ['arkiv', 'arkiv'])).toEqual(['arkiv']);
  });
});

describe('the subscribe page’s reading of lists.yml (readPublicLists)', () => {
  const file = (text: string) => {
    const path = join(tempDir(), 'lists.yml');
    writeFileSync(path, text);
    return path;
  };

  it('gives the public lists of a valid file, the default one checked, as loadLists reads them', async () => {
    const path = join(ROOT, 'subscribers/lists.yml');
    const lists = await readPublicLists(path);
    const strict = loadLists(path);
    expect(lists.map((list) => list.id)).toEqual(
      strict.lists.filter((list) => list.public).map((list) => list.id),
    );
    expect(lists.filter((list) => list.checked).map((list) => list.id)).toEqual([strict.default]);
  });

  it('reads `public:` as loadLists does: yes, ja and true are public; no, nej, false and what loadLists refuses are not', async () => {
    const values = ['yes', 'ja', 'true', 'no', 'nej', 'false', 'on', 'Yes', '"true"', 'maybe'];
    const text = `default: l0\nlists:\n${values.map((value, i) => `  - {id: l${i}, name: L, description: d, public: ${value}}`).join('\n')}\n`;
    expect((await readPublicLists(file(text))).map((list) => list.id)).toEqual(['l0', 'l1', 'l2']);
    for (const [i, value] of values.entries()) {
      const one = `default: a\nlists:\n  - {id: a, name: A, description: d, public: ${value}}\n`;
      const strict = (() => {
        try {
          return parseLists(one, 'lists.yml').lists[0]!.public;
        } catch {
          return false;
        }
      })();
      expect((await readPublicLists(file(one))).length === 1, `${i}: public: ${value}`).toBe(strict);
    }
  });

  it('never fails: a missing file, invalid YAML or no `lists:` give no lists', async () => {
    expect(await readPublicLists(join(tmpdir(), 'nyhetsbrev-no-such-folder', 'lists.yml'))).toEqual([]);
    expect(await readPublicLists(file('lists: [unclosed\n'))).toEqual([]);
    expect(await readPublicLists(file('default: a\n'))).toEqual([]);
    expect(await readPublicLists(file('lists:\n  - {name: utan id, public: yes}\n'))).toEqual([]);
    // Aliases that expand past yaml's limit (a "billion laughs"): yaml throws on reading the data.
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const name of 'bcdefgh')
      laughs.push(
        `${name}: &${name} [${Array(10)
          .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(', ')}]`,
      );
    laughs.push('lists: [{id: x, public: yes, all: *h}]');
    expect(await readPublicLists(file(`${laughs.join('\n')}\n`))).toEqual([]);
  });
});
