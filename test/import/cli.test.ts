import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL } from '../../src/import/write.ts';
import { IMPORT_FIXTURES, issuesFolder, listFiles, tempFile } from './helpers.ts';

const PAGE = join(IMPORT_FIXTURES, 'agency-page', 'input', 'nyhetsbrev-mars-2023.html');

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['bin/nyhetsbrev.js', 'import', ...args], {
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
}

describe('nyhetsbrev import', () => {
  it('imports a page as a draft issue, prints the warnings with their places, and says what to do next', () => {
    const issues = issuesFolder();
    const result = cli(PAGE, '--issues', issues);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^Imported .*nyhetsbrev-mars-2023\.html as .*2023-03\/: issue\.md and 3 section\(s\), 2 image\(s\) \(status: draft\)\.$/m,
    );
    expect(result.stdout).toContain('`nyhetsbrev check 2023-03`');
    expect(result.stderr).toContain(
      'test/fixtures/import/agency-page/input/nyhetsbrev-mars-2023.html:51:3 warning Embedded <iframe>',
    );
    expect(result.stderr).toMatch(/^\(\d+ notes on what was left out as expected: --verbose lists them\)$/m);
    expect(listFiles(join(issues, '2023-03'))).toHaveLength(6);
  });

  it('writes nothing with --dry-run', () => {
    const issues = issuesFolder();
    const result = cli(PAGE, '--issues', issues, '--dry-run');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Would import /);
    expect(readdirSync(issues)).toEqual([]);
  });

  it('refuses to guess a date: exit 1, the error name, a hint, no stack', () => {
    const source = tempFile('bidrag.md', '# Bidrag\n\nText utan datum.\n\n## Del\n\nMer text.\n');
    const issues = issuesFolder();
    const result = cli(source, '--issues', issues);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^ImportRefused: Nothing was imported: .*bidrag\.md says nothing about when it was published\.$/m,
    );
    expect(result.stderr).toContain('hint: Name the issue with --as-issue YYYY-MM');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(readdirSync(issues)).toEqual([]);
  });

  it('takes back what an interrupted import into an issue added before adding anything', () => {
    const issues = issuesFolder('word-contribution');
    const dir = join(issues, '2024-05');
    const half = '# Nytt från Skatteverket\n';
    writeFileSync(join(dir, '03-nytt-fran-skatteverket.md'), half);
    writeFileSync(
      join(dir, JOURNAL),
      JSON.stringify({
        files: [
          { path: '03-nytt-fran-skatteverket.md', sha256: createHash('sha256').update(half).digest('hex') },
        ],
        createdImages: false,
      }),
    );
    const source = tempFile('bidrag.md', '# Nytt från Försäkringskassan\n\nEn ny e-tjänst.\n');
    const result = cli(source, '--issues', issues, '--into', '2024-05');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      'An earlier import into 2024-05 was interrupted; removed what it had added: 03-nytt-fran-skatteverket.md.',
    );
    expect(listFiles(dir)).toEqual([
      '01-forumet-for-digitalisering.md',
      '02-kalendarium.md',
      '03-nytt-fran-forsakringskassan.md',
      'issue.md',
    ]);
  });

  it('is listed in --help', () => {
    const result = spawnSync(process.execPath, ['bin/nyhetsbrev.js', '--help'], { encoding: 'utf8' });
    expect(result.stdout).toMatch(/^ {2}import \[options\] <files\.\.\.>/m);
  });
});
