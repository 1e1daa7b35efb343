import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/build/index.ts';
import { tempDir, testConfig } from '../support/spine.ts';
import { DIAGRAM, PHOTO, wordContribution, wordIssue } from './docx-fixtures.ts';
import {
  checkRules,
  expectFolder,
  IMPORT_FIXTURES,
  issuesFolder,
  listFiles,
  messageLines,
  runImport,
  tempFile,
} from './helpers.ts';

const config = testConfig();

async function builds(issuesDir: string, id: string): Promise<string> {
  const out = tempDir('nyhetsbrev-import-out-');
  const result = await buildSite(config, {
    issuesDir,
    outDir: out,
    ids: [id],
    drafts: true,
    cache: false,
    threads: 0,
  });
  expect(result.files.flatMap((file) => file.messages.filter((message) => message.fatal === true))).toEqual(
    [],
  );
  return readFileSync(join(out, 'web', id, 'index.html'), 'utf8');
}

describe('import of a saved newsletter page', () => {
  const source = join(IMPORT_FIXTURES, 'agency-page', 'input', 'nyhetsbrev-mars-2023.html');

  it('keeps the article and leaves out header, navigation, footer, sharing links and related issues', async () => {
    const issues = issuesFolder();
    const plan = await runImport({ files: [source], issuesDir: issues });
    expect(plan.issues.map((issue) => issue.id)).toEqual(['2023-03']);
    await expectFolder(join(issues, '2023-03'), 'agency-page', '2023-03');
    await expect(messageLines(plan.messages)).toMatchFileSnapshot(
      join(IMPORT_FIXTURES, 'agency-page', 'expected', 'messages.txt'),
    );
    const all = listFiles(join(issues, '2023-03'))
      .map((file) => readFileSync(join(issues, '2023-03', file), 'utf8'))
      .join('\n');
    for (const furniture of [
      'Hoppa till innehållet',
      'Om nätverket',
      'Du är här',
      'Dela',
      'Februari 2023',
      'Box 123',
      'dataLayer',
    ]) {
      expect(all).not.toContain(furniture);
    }
    expect(readFileSync(join(issues, '2023-03', 'images', 'temamote.jpg'))).toEqual(
      readFileSync(
        join(IMPORT_FIXTURES, 'agency-page', 'input', 'Nyhetsbrev_mars_2023_files', 'temamote.jpg'),
      ),
    );
  });

  it('passes check but for the draft warning, and build renders it', async () => {
    const issues = issuesFolder();
    await runImport({ files: [source], issuesDir: issues });
    expect(await checkRules(issues)).toEqual(['2023-03/issue.md warning draft']);
    const page = await builds(issues, '2023-03');
    expect(page).toContain('<h1 id="ledare">Den intensiva våren ger frukt</h1>');
    expect(page).toContain('Karin Lindqvist, kanslichef');
    expect(page).toContain('Nätverket i siffror');
  });
});

describe('import of a Word document', () => {
  it('makes an issue of a whole issue written in Word, with every loss reported at its paragraph', async () => {
    const source = tempFile('nyhetsbrev-april-2024.docx', await wordIssue());
    const issues = issuesFolder();
    const plan = await runImport({ files: [source], issuesDir: issues });
    expect(plan.issues.map((issue) => issue.id)).toEqual(['2024-04']);
    await expectFolder(join(issues, '2024-04'), 'word-issue', '2024-04');
    await expect(messageLines(plan.messages)).toMatchFileSnapshot(
      join(IMPORT_FIXTURES, 'word-issue', 'expected', 'messages.txt'),
    );
    expect(readFileSync(join(issues, '2024-04', 'images', 'bild.png'))).toEqual(DIAGRAM);
    expect(await checkRules(issues)).toEqual(['2024-04/issue.md warning draft']);
    const page = await builds(issues, '2024-04');
    expect(page).toContain('Digitalt först – men inte bara digitalt');
    expect(page).toMatch(/<ol>\s*<li>Inventera era system\.<\/li>/);
  });

  it('adds a contribution to an existing issue after its last section, and touches nothing else', async () => {
    const source = tempFile('bidrag-skatteverket.docx', await wordContribution());
    const issues = issuesFolder('word-contribution');
    const before = listFiles(join(issues, '2024-05')).map((file) => [
      file,
      readFileSync(join(issues, '2024-05', file), 'utf8'),
    ]);
    const plan = await runImport({ files: [source], issuesDir: issues, into: '2024-05' });
    const added = [...plan.issues[0]!.files.keys()].sort();
    expect(added).toEqual(['03-nytt-fran-skatteverket.md', 'images/bild.png']);
    await expectFolder(join(issues, '2024-05'), 'word-contribution', '2024-05', added);
    await expect(messageLines(plan.messages)).toMatchFileSnapshot(
      join(IMPORT_FIXTURES, 'word-contribution', 'expected', 'messages.txt'),
    );
    for (const [file, text] of before)
      expect(readFileSync(join(issues, '2024-05', file!), 'utf8')).toBe(text);
    expect(readFileSync(join(issues, '2024-05', 'images', 'bild.png'))).toEqual(PHOTO);
    // The photo had no alt text: imported without, and check points at it.
    expect(await checkRules(issues)).toEqual([
      '2024-05/03-nytt-fran-skatteverket.md error image-alt',
      '2024-05/issue.md warning draft',
    ]);
  });
});

describe('import of a Markdown file', () => {
  it('keeps the front matter it knows, the sections, the footnote and the table, and leaves raw HTML out', async () => {
    const issues = issuesFolder();
    const source = join(IMPORT_FIXTURES, 'markdown-issue', 'input', 'nyhetsbrev-november-2025.md');
    const plan = await runImport({ files: [source], issuesDir: issues });
    await expectFolder(join(issues, '2025-11'), 'markdown-issue', '2025-11');
    await expect(messageLines(plan.messages)).toMatchFileSnapshot(
      join(IMPORT_FIXTURES, 'markdown-issue', 'expected', 'messages.txt'),
    );
    expect(await checkRules(issues)).toEqual(['2025-11/issue.md warning draft']);
    await builds(issues, '2025-11');
  });
});
