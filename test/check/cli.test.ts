import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_FIXTURES } from './helpers.ts';

function check(...args: string[]) {
  return spawnSync(process.execPath, ['bin/nyhetsbrev.js', 'check', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
}

describe('nyhetsbrev check', () => {
  it('prints linter lines, a hint under each, a summary line, and exits 1 on errors', () => {
    const result = check('--issues', join(CHECK_FIXTURES, 'footnote'));
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'test/fixtures/check/footnote/2024-03/01-fotnoter.md:3:55 error Unexpected footnote reference `[^saknas]` without a definition, expected a line `[^saknas]: …` footnote',
    );
    expect(lines[1]).toMatch(/^ {2}hint: /);
    expect(lines.at(-1)).toBe('1 error, 1 warning');
    expect(result.stderr).toContain('CheckFailed');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('exits 0 on warnings alone, and 1 with --frail', () => {
    const fixture = join(CHECK_FIXTURES, 'link-text');
    expect(check('--issues', fixture).status).toBe(0);
    const frail = check('--issues', fixture, '--frail');
    expect(frail.status).toBe(1);
    expect(frail.stderr).toContain('3 warning(s) (--frail)');
  });

  it('says so when there is nothing to report', () => {
    const result = check('--issues', join(CHECK_FIXTURES, 'clean'));
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('1 issue(s) checked (2024-03): no problems.\n');
  });

  it('prints JSON for tools with --json: summary and messages, nothing else on stdout', () => {
    const result = check('--issues', join(CHECK_FIXTURES, 'date-folder'), '--json');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { issues: string[]; summary: object; messages: object[] };
    expect(report.issues).toEqual(['2024-03']);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, infos: 0 });
    expect(report.messages).toEqual([
      {
        file: 'test/fixtures/check/date-folder/2024-03/issue.md',
        line: 3,
        column: 7,
        severity: 'error',
        message: 'Unexpected date 2024-02-29 in folder 2024-03, expected a date in mars 2024',
        ruleId: 'date-folder',
        hint: 'Fix `date:` — or, if the date is right, rename the folder to 2024-02.',
      },
    ]);
  });

  it('checks only the issues asked for, and names an unknown one', () => {
    const fixture = join(CHECK_FIXTURES, 'preheader-length');
    const one = check('--issues', fixture, '2024-04', '--json');
    expect(
      (JSON.parse(one.stdout) as { messages: { file: string }[] }).messages.map((message) => message.file),
    ).toEqual(['test/fixtures/check/preheader-length/2024-04/issue.md']);
    const unknown = check('--issues', fixture, '2030-01');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('IssueNotFound: There is no issue 2030-01');
  });
});
