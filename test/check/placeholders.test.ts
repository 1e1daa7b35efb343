import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scaffoldIssue } from '../../src/scaffold/index.ts';
import { tempDir, testConfig } from '../support/spine.ts';
import { brief, checkArchive } from './helpers.ts';

const config = testConfig('editor: Karin Lindqvist, kanslichef');

/** An archive of one ready issue, `2024-03`, with one section `01-a.md`. */
function archiveWith(section: string): string {
  const dir = tempDir('nyhetsbrev-check-');
  mkdirSync(join(dir, '2024-03'));
  writeFileSync(
    join(dir, '2024-03', 'issue.md'),
    '---\ntitle: Våren i nätverket\ndate: 2024-03-28\neditor: Karin Lindqvist, kanslichef\nstatus: ready\n---\nVåren är här, och med den tre nya vägledningar från forumen.\n',
  );
  writeFileSync(join(dir, '2024-03', '01-a.md'), section);
  return dir;
}

describe('link-url: placeholder links', () => {
  it('are errors: a link to `#`, an empty link and a definition pointing at `#`; an anchor is fine', async () => {
    const dir = archiveWith(
      [
        '# Program', // 1
        '',
        '- [Anmälan](#)', // 3
        '- [Programmet]()', // 4
        '- [Lokalen](<>)', // 5
        '- [Kartan][karta]', // 6
        '- [Kalendariet](#kalendarium)', // 7
        '',
        '[karta]: #', // 9
        '',
      ].join('\n'),
    );
    const { messages } = await checkArchive(dir, config);
    expect(brief(messages)).toEqual([
      '2024-03/01-a.md:3:3 error link-url',
      '2024-03/01-a.md:4:3 error link-url',
      '2024-03/01-a.md:5:3 error link-url',
      '2024-03/01-a.md:9:1 error link-url',
    ]);
    expect(messages[0]?.message).toBe('Unexpected link to `#`, expected an address');
  });
});

describe('placeholder: text left from `nyhetsbrev new`', () => {
  async function scaffolded(extra = 'editor: Karin Lindqvist, kanslichef') {
    const dir = tempDir('nyhetsbrev-check-');
    const result = await scaffoldIssue({ issuesDir: dir, config: testConfig(extra), id: '2026-05' });
    const issue = join(result.dir, 'issue.md');
    writeFileSync(issue, readFileSync(issue, 'utf8').replace('status: draft', 'status: ready'));
    return { dir, issue, kalendarium: join(result.dir, '01-kalendarium.md') };
  }

  it('are errors in a ready issue: the title, the intro’s two paragraphs and the Kalendarium example', async () => {
    const { dir } = await scaffolded();
    const { messages } = await checkArchive(dir, config);
    expect(brief(messages.filter((message) => message.ruleId === 'placeholder'))).toEqual([
      '2026-05/01-kalendarium.md:5:3 error placeholder',
      '2026-05/issue.md:2:8 error placeholder',
      '2026-05/issue.md:7:1 error placeholder',
      '2026-05/issue.md:9:1 error placeholder',
    ]);
    expect(messages.find((message) => message.line === 2)?.message).toBe(
      'Unexpected placeholder title from `nyhetsbrev new` in a ready issue, expected the issue’s own',
    );
  });

  it('include the placeholder signature written when the config has no editor', async () => {
    const { dir } = await scaffolded('');
    const { messages } = await checkArchive(dir, testConfig());
    expect(brief(messages.filter((message) => message.message.includes('signature')))).toEqual([
      '2026-05/issue.md:4:9 error placeholder',
    ]);
  });

  it('are gone once the editor wrote the issue, which may keep the true "next issue" line', async () => {
    const { dir, issue, kalendarium } = await scaffolded();
    writeFileSync(
      issue,
      '---\ntitle: Maj i nätverket\ndate: 2026-05-28\neditor: Karin Lindqvist, kanslichef\nstatus: ready\n---\nI maj samlas forumen för arkiv och upphandling till ett gemensamt möte om gallring.\n',
    );
    const written = readFileSync(kalendarium, 'utf8').replace(
      /- \d+ juni: forumets möte, digitalt kl\. 9\.00–11\.00/,
      '- 9 juni: forumet för arkiv, digitalt kl. 13.00–15.00',
    );
    writeFileSync(kalendarium, written);
    expect(written).toContain('nästa nummer av nyhetsbrevet kommer ut');
    const { messages } = await checkArchive(dir, config);
    expect(brief(messages)).toEqual([]);
  });

  it('are not checked in a draft (the draft rule already says it is not done)', async () => {
    const { dir, issue } = await scaffolded();
    writeFileSync(issue, readFileSync(issue, 'utf8').replace('status: ready', 'status: draft'));
    const { messages } = await checkArchive(dir, config);
    expect(brief(messages)).toEqual(['2026-05/issue.md:5:9 warning draft']);
  });
});
