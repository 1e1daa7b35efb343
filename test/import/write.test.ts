import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { JOURNAL } from '../../src/import/write.ts';
import { planImport, recoverInterruptedImport, writeImport } from '../../src/import/index.ts';
import { hashTree } from '../support/tree-hash.ts';
import { IMPORT_FIXTURES, issuesFolder, listFiles, tempFile } from './helpers.ts';
import { wordContribution } from './docx-fixtures.ts';

const PAGE = join(IMPORT_FIXTURES, 'agency-page', 'input', 'nyhetsbrev-mars-2023.html');
const failAt = (n: number) => {
  let count = 0;
  return () => {
    if (++count === n) throw new Error('disk full (test)');
  };
};

function crash(issuesDir: string, killAt: number, ...args: string[]) {
  return spawnSync(
    process.execPath,
    ['bin/run-ts.js', 'test/import/crash-run.ts', issuesDir, String(killAt), ...args],
    { encoding: 'utf8' },
  );
}

describe('writing an import', () => {
  it('leaves no issue folder and no temp folder when writing a new issue fails half-way', async () => {
    const issues = issuesFolder();
    const plan = await planImport({ files: [PAGE], issuesDir: issues });
    await expect(writeImport(plan, failAt(3))).rejects.toThrow('disk full (test)');
    expect(readdirSync(issues)).toEqual([]);
  });

  it('removes what it added to an existing issue when a write fails, and never overwrites a file', async () => {
    const issues = issuesFolder('word-contribution');
    const before = hashTree(issues);
    const source = tempFile('bidrag.docx', await wordContribution());
    const plan = await planImport({ files: [source], issuesDir: issues, into: '2024-05' });
    await expect(writeImport(plan, failAt(2))).rejects.toThrow('disk full (test)');
    expect(hashTree(issues)).toEqual(before);
    expect(existsSync(join(issues, '2024-05', 'images'))).toBe(false);
    // A file that appears under a planned name (another editor, another import) is left alone.
    const section = join(issues, '2024-05', '03-nytt-fran-skatteverket.md');
    const error = await writeImport(plan, (path) => {
      if (path === '03-nytt-fran-skatteverket.md') writeFileSync(section, '# Mitt utkast\n');
    }).catch((thrown: unknown) => thrown);
    expect(isUserError(error) && error.name).toBe('ImportRefused');
    expect(readFileSync(section, 'utf8')).toBe('# Mitt utkast\n');
    expect(listFiles(join(issues, '2024-05'))).toEqual([
      '01-forumet-for-digitalisering.md',
      '02-kalendarium.md',
      '03-nytt-fran-skatteverket.md',
      'issue.md',
    ]);
  });

  it('leaves nothing of a new issue in the archive when the process is killed mid-import', () => {
    const issues = issuesFolder();
    const result = crash(issues, 4, PAGE);
    expect(result.signal).toBe('SIGKILL');
    const names = readdirSync(issues);
    expect(names.filter((name) => !name.startsWith('.'))).toEqual([]);
    expect(names.every((name) => name.startsWith('.import-2023-03-'))).toBe(true);
  });

  it('after a kill mid-import into an issue, the next import removes what it added, then adds it once', async () => {
    const issues = issuesFolder('word-contribution');
    const source = tempFile('bidrag.docx', await wordContribution());
    const original = hashTree(issues);
    const result = crash(issues, 2, '--into', '2024-05', source);
    expect(result.signal).toBe('SIGKILL');
    expect(existsSync(join(issues, '2024-05', JOURNAL))).toBe(true);
    expect(existsSync(join(issues, '2024-05', 'images', 'bild.png'))).toBe(true);
    // Planning refuses to number new sections after a half-finished import …
    const refused = await planImport({ files: [source], issuesDir: issues, into: '2024-05' }).catch(
      (thrown: unknown) => thrown,
    );
    expect(isUserError(refused) && refused.name).toBe('ImportRefused');
    // … the recovery (which `nyhetsbrev import` runs first) takes back exactly what was added …
    expect(await recoverInterruptedImport(join(issues, '2024-05'))).toEqual(['images/bild.png']);
    expect(hashTree(issues)).toEqual(original);
    // … and the import runs as if the crash had not happened.
    const plan = await planImport({ files: [source], issuesDir: issues, into: '2024-05' });
    await writeImport(plan);
    expect(listFiles(join(issues, '2024-05'))).toEqual([
      '01-forumet-for-digitalisering.md',
      '02-kalendarium.md',
      '03-nytt-fran-skatteverket.md',
      'images/bild.png',
      'issue.md',
    ]);
  });

  it('keeps a file the editor changed after an interrupted import', async () => {
    const dir = join(issuesFolder('word-contribution'), '2024-05');
    writeFileSync(join(dir, '03-bidrag.md'), '# Bidrag\n\nÄndrad av redaktören.\n');
    writeFileSync(
      join(dir, JOURNAL),
      JSON.stringify({ files: [{ path: '03-bidrag.md', sha256: '0'.repeat(64) }], createdImages: false }),
    );
    expect(await recoverInterruptedImport(dir)).toEqual([]);
    expect(readFileSync(join(dir, '03-bidrag.md'), 'utf8')).toContain('Ändrad av redaktören');
    expect(existsSync(join(dir, JOURNAL))).toBe(false);
  });
});
