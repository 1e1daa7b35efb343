import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brief, checkArchive, checkFixture, copyFixture } from './helpers.ts';

/** Each rule's fixture and the messages it must give: `file:line:column severity rule`. */
const TRIGGERS: [rule: string, expected: string[]][] = [
  ['image-alt', ['2024-03/01-bilder.md:5:1 error image-alt', '2024-03/01-bilder.md:7:21 error image-alt']],
  [
    'heading-order',
    [
      '2024-03/01-rubriker.md:5:1 warning heading-order', // ### right after the section title
      '2024-03/01-rubriker.md:9:1 warning heading-order', // a second # in the section
      '2024-03/01-rubriker.md:15:1 warning heading-order', // ##### after ##
      '2024-03/issue.md:13:1 warning heading-order', // #### after ## in the intro
    ],
  ],
  [
    'link-text',
    [
      '2024-03/01-lankar.md:3:24 warning link-text',
      '2024-03/01-lankar.md:5:22 warning link-text',
      '2024-03/01-lankar.md:7:3 warning link-text',
    ],
  ],
  [
    'link-url',
    [
      '2024-03/01-adresser.md:3:3 error link-url', // www. without https://
      '2024-03/01-adresser.md:4:3 warning link-url', // http:
      '2024-03/01-adresser.md:5:3 error link-url', // https:// alone
      '2024-03/01-adresser.md:6:3 warning link-url', // relative: resolved against the issue URL in email
      '2024-03/01-adresser.md:7:3 error link-url', // htps:
      '2024-03/01-adresser.md:8:3 error link-url', // mailto: without an address
    ],
  ],
  ['footnote', ['2024-03/01-fotnoter.md:3:55 error footnote', '2024-03/01-fotnoter.md:6:1 warning footnote']],
  ['duplicate-section-title', ['2024-03/02-kalendarium-forts.md:2:8 warning duplicate-section-title']],
  [
    'preheader-length',
    ['2024-03/issue.md:6:12 warning preheader-length', '2024-04/issue.md:7:1 warning preheader-length'],
  ],
  ['date-folder', ['2024-03/issue.md:3:7 error date-folder']],
  ['draft', ['2024-03/issue.md:5:9 warning draft']],
  [
    'image-file',
    [
      '2024-03/01-bilder.md:3:1 error image-file', // missing (reported by parse)
      '2024-03/01-bilder.md:7:1 error image-file', // a text file named .png
      '2024-03/01-bilder.md:9:1 error image-file', // from another site
      '2024-03/01-bilder.md:11:1 warning image-file', // WebP
    ],
  ],
];

describe('check rules: each fixture triggers its rule at the right line and column', () => {
  it.each(TRIGGERS)('%s', async (rule, expected) => {
    const { messages } = await checkFixture(rule);
    expect(brief(messages)).toEqual(expected);
    for (const message of messages) expect(message.message).toMatch(/^(Unexpected|Missing)/);
  });
});

describe('check rules: the clean fixture triggers none', () => {
  it('gives no message at all for an issue with near misses of every rule', async () => {
    const { results, messages } = await checkFixture('clean');
    expect(brief(messages)).toEqual([]);
    expect(results[0]?.built?.email.html).toContain('Ny vägledning om e-arkiv');
  });
});

describe('check rules: messages explain themselves', () => {
  it('names the vague text, and for a relative link the absolute URL to write', async () => {
    const links = await checkFixture('link-text');
    expect(links.messages[0]?.message).toContain('“Klicka här”');
    const urls = await checkFixture('link-url');
    const relative = urls.messages.find((message) => message.line === 6);
    expect(relative?.message).toContain('`../2024-02/`');
    expect((relative as { hint?: string } | undefined)?.hint).toContain(
      'https://natverket.example.org/nyhetsbrev/2024-02/',
    );
  });

  it('reports date-folder with the month the folder stands for', async () => {
    const { messages } = await checkFixture('date-folder');
    expect(messages[0]?.message).toBe(
      'Unexpected date 2024-02-29 in folder 2024-03, expected a date in mars 2024',
    );
  });
});

describe('check rules: image-file size', () => {
  it('warns about an image over 1 MB, not about one under', async () => {
    const dir = copyFixture('clean');
    const image = join(dir, '2024-03/images/omslag.png');
    expect(brief((await checkArchive(dir)).messages)).toEqual([]);
    // A valid PNG header followed by padding: 1.2 MB that image-size still reads as 120×60.
    writeFileSync(image, Buffer.concat([readFileSync(image), Buffer.alloc(1_200_000)]));
    expect(brief((await checkArchive(dir)).messages)).toEqual([
      '2024-03/01-vagledning.md:8:1 warning image-file',
    ]);
  });
});

describe('check rules: email-size', () => {
  it('errors when the email HTML is over 100 KB, and the clean issue is far under', async () => {
    const clean = await checkFixture('clean');
    expect(clean.results[0]!.sizes!.html).toBeLessThan(60 * 1024);
    const dir = copyFixture('clean');
    const paragraph = 'Forumet för arkivfrågor diskuterade gallring, bevarande och format under hela dagen. ';
    const long = Array.from({ length: 150 }, (_, index) => `${index + 1}. ${paragraph.repeat(8)}`).join(
      '\n\n',
    );
    appendFileSync(join(dir, '2024-03/01-vagledning.md'), `\n## Protokoll\n\n${long}\n`);
    const { results, messages } = await checkArchive(dir);
    expect(results[0]!.sizes!.html).toBeGreaterThan(100 * 1024);
    expect(brief(messages)).toEqual(['2024-03/issue.md:null:null error email-size']);
  });
});
