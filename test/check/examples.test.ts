import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIssue, RULES } from '../../src/check/index.ts';
import { EXAMPLE_ISSUE, type Rule, type RuleExample } from '../../src/check/rule.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { tempDir, testConfig } from '../support/spine.ts';
import { CHECK_FIXTURES, type Found } from './helpers.ts';

// Rules that judge the templates, which an example issue cannot break: their not-ok cases change
// the rendered email in test/check/api.test.ts (theme-contrast's, the theme, in test/theme/theme.test.ts).
const TEMPLATE_RULES = new Set(['style-size', 'mjml', 'theme-contrast']);

/** Checks the example's issue in a temp archive; the rule's messages, written as examples write them. */
async function messagesOf(rule: Rule, example: RuleExample): Promise<string[]> {
  const issueDir = join(tempDir('nyhetsbrev-example-'), '2024-03');
  mkdirSync(join(issueDir, 'images'), { recursive: true });
  cpSync(join(CHECK_FIXTURES, 'clean/2024-03/images/omslag.png'), join(issueDir, 'images/omslag.png'));
  for (const [name, text] of Object.entries({ ...EXAMPLE_ISSUE, ...example.files })) {
    mkdirSync(dirname(join(issueDir, name)), { recursive: true });
    writeFileSync(join(issueDir, name), text);
  }
  const config = testConfig();
  const result = await checkIssue(await loadArchive(dirname(issueDir), config), '2024-03', config);
  return (messagesAsJson(result.files, { cwd: issueDir }) as Found[])
    .filter((message) => message.ruleId === rule.id)
    .map(({ file, line, column, severity, message }) =>
      [line === null ? file : `${file}:${line}:${column}`, severity, message].join(' '),
    );
}

/** `actual`, with each message that an expected `…` line matches shown as that line (for a readable diff). */
function asExpected(actual: string[], expected: readonly string[]): string[] {
  return actual.map((message, index) => {
    const wanted = expected[index];
    return wanted?.endsWith('…') && message.startsWith(wanted.slice(0, -1)) ? wanted : message;
  });
}

describe.each(RULES.map((rule) => [rule.id, rule] as const))('rule %s', (_id, rule) => {
  it.each(rule.examples.map((example) => [example.name, example] as const))(
    'example: %s',
    async (_name, example) => {
      const expected = example.messages ?? [];
      expect(asExpected(await messagesOf(rule, example), expected)).toEqual(expected);
    },
  );

  it('has an ok example, and a not-ok one whose severities the rule declares', () => {
    expect(rule.examples.some((example) => (example.messages ?? []).length === 0)).toBe(true);
    const notOk = rule.examples.flatMap((example) => example.messages ?? []);
    if (!TEMPLATE_RULES.has(rule.id)) expect(notOk.length).toBeGreaterThan(0);
    for (const message of notOk) expect(rule.severity).toContain(message.split(' ')[1]);
  });
});
