import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIssue, PARSE_RULES, RULES } from '../../src/check/index.ts';
import { EXAMPLE_ISSUE, type RuleExample } from '../../src/check/rule.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { tempDir, testConfig } from '../support/spine.ts';
import { CHECK_FIXTURES, type Found } from './helpers.ts';

/** Writes `files` into `dir`: text as UTF-8, bytes as they are; `null` writes nothing. */
function writeFiles(dir: string, files: Readonly<Record<string, string | Uint8Array | null>>): void {
  for (const [name, content] of Object.entries(files)) {
    if (content === null) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/**
 * Checks the example's issue in a temp archive (with its theme, if it has one); the rule's
 * messages, written as examples write them.
 */
async function messagesOf(ruleId: string, example: RuleExample): Promise<string[]> {
  const root = tempDir('nyhetsbrev-example-');
  const issueDir = join(root, '2024-03');
  mkdirSync(join(issueDir, 'images'), { recursive: true });
  cpSync(join(CHECK_FIXTURES, 'clean/2024-03/images/omslag.png'), join(issueDir, 'images/omslag.png'));
  writeFiles(issueDir, { ...EXAMPLE_ISSUE, ...example.files });
  if (example.theme) writeFiles(join(root, 'theme'), example.theme);
  const config = testConfig(example.theme ? `theme: ${join(root, 'theme')}\n` : '');
  const result = await checkIssue(await loadArchive(root, config), '2024-03', config);
  return (messagesAsJson(result.files, { cwd: root }) as Found[])
    .filter((message) => message.ruleId === ruleId)
    .map(({ file, line, column, severity, message }) => {
      const name = file.replace(/^2024-03\//, '');
      return [line === null ? name : `${name}:${line}:${column}`, severity, message].join(' ');
    });
}

/** Whether `message` is what `expected` describes: the same text, a `…` standing for any. */
function matches(message: string, expected: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${expected.split('…').map(escape).join('[^]*')}$`).test(message);
}

/** `actual`, with each message its expected line matches shown as that line (for a readable diff). */
function asExpected(actual: string[], expected: readonly string[]): string[] {
  return actual.map((message, index) => {
    const wanted = expected[index];
    return wanted !== undefined && matches(message, wanted) ? wanted : message;
  });
}

describe('the example matcher', () => {
  it('takes a `…` for any text, at the end or inside, and nothing else', () => {
    expect(matches('a 17.2 KB b', 'a … b')).toBe(true);
    expect(matches('a 17.2 KB b', 'a …')).toBe(true);
    expect(matches('a 17.2 KB b.', 'a … b')).toBe(false);
    expect(matches('a (b) c', 'a (b) c')).toBe(true);
    expect(matches('a bb c', 'a (b) c')).toBe(false);
  });
});

// The rules of reading and parsing (their messages come from those stages) and the check rules.
const ALL = [...PARSE_RULES, ...RULES];

describe.each(ALL.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  it.each(rule.examples.map((example) => [example.name, example] as const))(
    'example: %s',
    async (_name, example) => {
      const expected = example.messages ?? [];
      expect(asExpected(await messagesOf(id, example), expected)).toEqual(expected);
    },
  );

  it('has an ok example, and a not-ok one whose severities the rule declares', () => {
    expect(rule.examples.some((example) => (example.messages ?? []).length === 0)).toBe(true);
    const notOk = rule.examples.flatMap((example) => example.messages ?? []);
    expect(notOk.length).toBeGreaterThan(0);
    for (const message of notOk) expect(rule.severity).toContain(message.split(' ')[1]);
  });
});
