import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { ISSUE_FIXTURES, fixtureArchive, tempDir } from '../support/spine.ts';

const CASES: [fixture: string, ruleId: string][] = [
  ['invalid-yaml', 'front-matter'],
  ['missing-title', 'front-matter'],
  ['missing-date', 'front-matter'],
  ['bad-date', 'front-matter'],
  ['empty-section', 'section-empty'],
  ['untitled-section', 'section-title'],
  ['non-utf8', 'encoding'],
  ['no-issue-md', 'read'],
];

function run(...args: string[]) {
  return spawnSync(process.execPath, ['bin/nyhetsbrev.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
}

describe.each(CASES)('bad input: %s', (fixture, ruleId) => {
  it(`reports a ${ruleId} error with file:line:col and a hint`, async () => {
    const archive = await fixtureArchive(fixture);
    const messages = messagesAsJson(archive.files, { cwd: join(ISSUE_FIXTURES, fixture) });
    const errors = messages.filter((message) => (message as { severity: string }).severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((message) => (message as { ruleId: string }).ruleId)).toContain(ruleId);
    for (const error of errors as { line: number; column: number; hint: string }[]) {
      expect(error.line).toBeGreaterThan(0);
      expect(error.column).toBeGreaterThan(0);
      expect(error.hint.length).toBeGreaterThan(10);
    }
    await expect(JSON.stringify(messages, null, 2) + '\n').toMatchFileSnapshot(
      join(ISSUE_FIXTURES, fixture, 'messages.json'),
    );
  });

  it('makes `nyhetsbrev build` exit 1 with the message, no stack trace, and write nothing', () => {
    const out = tempDir();
    const result = run('build', '--issues', join(ISSUE_FIXTURES, fixture), '--out', out);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`\\.md:\\d+:\\d+ error .* ${ruleId}`));
    expect(result.stderr).toContain('hint:');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(spawnSync('find', [out, '-type', 'f'], { encoding: 'utf8' }).stdout).toBe('');
  });
});

describe('bad input: folders and config', () => {
  it('reports an issues folder that does not exist as IssuesFolderUnreadable, exit 1', () => {
    const result = run('build', '--issues', '/nonexistent/issues', '--out', tempDir());
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('IssuesFolderUnreadable');
    expect(result.stderr).toContain('hint:');
  });

  it('reports an issue folder that cannot be read at its path', () => {
    const dir = tempDir();
    cpSync(join(ISSUE_FIXTURES, 'teasers', '2024-01'), join(dir, '2024-01'), { recursive: true });
    symlinkSync(join(dir, 'missing-target'), join(dir, '2024-02'));
    const result = run('build', '--issues', dir, '--out', tempDir());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/2024-02\/issue\.md:1:1 error Cannot read the issue folder/);
  });

  it('reports invalid config with the key and its line', () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yml');
    writeFileSync(
      config,
      'organisation: X\nnewsletter: Y\nbaseUrl: not a url\nsender:\n  from: a@example.org\nfooter: F\nteasers: many\n',
    );
    const result = run(
      '--config',
      config,
      'build',
      '--issues',
      join(ISSUE_FIXTURES, 'teasers'),
      '--out',
      dir,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${config}:3:10 baseUrl`);
    expect(result.stderr).toContain(`${config}:7:10 teasers`);
    expect(relative(dir, config)).toBe('bad.yml');
  });

  it('reports an explicit config file that does not exist as ConfigNotFound', () => {
    const result = run('--config', '/nonexistent.yml', 'build');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('ConfigNotFound');
  });
});
