import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIssue } from '../../src/check/index.ts';
import { isUserError } from '../../src/errors.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { nextIssueId, publicationDate, scaffoldIssue, type Clock } from '../../src/scaffold/index.ts';
import { ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';

const config = testConfig('editor: Karin Lindqvist, kanslichef');
const clockAt = (iso: string): Clock => ({ now: () => new Date(iso) });

describe('nyhetsbrev new', () => {
  it('scaffolds the month after the newest issue: front matter filled, intro placeholder, Kalendarium', async () => {
    const dir = tempDir();
    cpSync(join(ISSUE_FIXTURES, 'teasers'), dir, { recursive: true });
    const result = await scaffoldIssue({ issuesDir: dir, config, clock: clockAt('2024-06-10T09:00:00Z') });
    expect(result.id).toBe('2024-07');
    expect(result.files).toEqual(['issue.md', '01-kalendarium.md']);
    const issue = readFileSync(join(dir, '2024-07', 'issue.md'), 'utf8');
    expect(issue).toMatch(
      /^---\ntitle: .+\ndate: 2024-07-25\neditor: Karin Lindqvist, kanslichef\nstatus: draft\n---\n/,
    );
    expect(issue).toContain('Skriv ledaren här');
    expect(readFileSync(join(dir, '2024-07', '01-kalendarium.md'), 'utf8')).toMatch(/^# Kalendarium\n/);
  });

  it('produces an issue that check accepts except for its draft status', async () => {
    const dir = tempDir();
    const { id } = await scaffoldIssue({ issuesDir: dir, config, clock: clockAt('2026-12-01T08:00:00Z') });
    const archive = await loadArchive(dir, config);
    const result = await checkIssue(archive, id, config);
    expect(result.built?.issue.sections.map((section) => section.title)).toEqual(['Kalendarium']);
    const messages = messagesAsJson(result.files, { cwd: dir }) as {
      file: string;
      line: number;
      severity: string;
      ruleId: string;
    }[];
    expect(
      messages.map(({ file, line, severity, ruleId }) => `${file}:${line} ${severity} ${ruleId}`),
    ).toEqual(['2026-12/issue.md:5 warning draft']);
  });

  it('refuses to overwrite an existing issue, and leaves it as it was', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2025-03'));
    writeFileSync(join(dir, '2025-03', 'issue.md'), 'mitt utkast\n');
    const error = await scaffoldIssue({ issuesDir: dir, config, id: '2025-03' }).catch(
      (thrown: unknown) => thrown,
    );
    expect(isUserError(error) && error.name).toBe('IssueExists');
    expect(readdirSync(join(dir, '2025-03'))).toEqual(['issue.md']);
    expect(readFileSync(join(dir, '2025-03', 'issue.md'), 'utf8')).toBe('mitt utkast\n');
  });

  it('starts with this month in an empty archive, and never scaffolds a month that has passed', () => {
    expect(nextIssueId([], clockAt('2026-03-15T12:00:00Z'))).toBe('2026-03');
    expect(nextIssueId(['2026-02', '2026-03', '2026-03-b'], clockAt('2026-03-15T12:00:00Z'))).toBe('2026-04');
    expect(nextIssueId(['2023-11', '2023-12'], clockAt('2026-03-15T12:00:00Z'))).toBe('2026-03');
    expect(nextIssueId(['2026-12'], clockAt('2026-12-20T12:00:00Z'))).toBe('2027-01');
  });

  it('dates an issue on the last Thursday of its month, before the holidays in December', () => {
    expect(['2026-08', '2026-09', '2026-10', '2026-11', '2026-12', '2024-02'].map(publicationDate)).toEqual([
      '2026-08-27',
      '2026-09-24',
      '2026-10-29',
      '2026-11-26',
      '2026-12-17',
      '2024-02-29',
    ]);
  });

  it('rejects an id that is not a month, or a year dates cannot take as written', async () => {
    // 0000-01 would be dated 1900 (JavaScript's two-digit years); 9999-12's next month has five digits.
    for (const id of ['2026-13', '2026-00', '0000-01', '9999-12']) {
      const error = await scaffoldIssue({ issuesDir: tempDir(), config, id }).catch(
        (thrown: unknown) => thrown,
      );
      expect(isUserError(error) && error.name, id).toBe('UsageError');
    }
  });

  it('checks a folder named for no month (2024-13) with a warning on its name, not a crash', async () => {
    const dir = tempDir();
    cpSync(resolve('issues', '2026-11'), join(dir, '2024-13'), {
      recursive: true,
    });
    cpSync(resolve('issues', '2026-11'), join(dir, '2026-00'), {
      recursive: true,
    });
    const archive = await loadArchive(dir, config);
    for (const id of ['2024-13', '2026-00']) {
      const messages = messagesAsJson((await checkIssue(archive, id, config)).files) as {
        ruleId: string;
        severity: string;
      }[];
      expect(
        messages.filter((message) => message.severity === 'error'),
        id,
      ).toEqual([]);
      expect(
        messages.map((message) => message.ruleId),
        id,
      ).toContain('date-folder');
    }
  });

  it('works from the command line and exits 1 with IssueExists the second time', () => {
    const dir = tempDir();
    const run = () =>
      spawnSync(process.execPath, ['bin/nyhetsbrev.js', 'new', '2027-02', '--issues', dir], {
        encoding: 'utf8',
        env: { ...process.env, CI: 'true' },
      });
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('with issue.md and 01-kalendarium.md (status: draft, date 2027-02-25)');
    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('IssueExists: Issue 2027-02 already exists');
    expect(second.stderr).toContain('hint:');
  });
});

describe('nyhetsbrev new: the signature', () => {
  it('writes a placeholder signature when the config has no editor, and quotes YAML-sensitive ones', async () => {
    const plain = await scaffoldIssue({ issuesDir: tempDir(), config: testConfig(), id: '2026-05' });
    expect(plain.editorPlaceholder).toBe(true);
    expect(readFileSync(join(plain.dir, 'issue.md'), 'utf8')).toContain(
      '\neditor: Förnamn Efternamn, titel\n',
    );
    const colon = await scaffoldIssue({
      issuesDir: tempDir(),
      config: testConfig('editor: "Anna Berg: kanslichef #1"'),
      id: '2026-05',
    });
    const archive = await loadArchive(join(colon.dir, '..'), config);
    expect(archive.issues[0]?.meta.editor).toBe('Anna Berg: kanslichef #1');
  });
});
