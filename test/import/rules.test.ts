import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import type { Paragraph as MdParagraph, PhrasingContent } from 'mdast';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/errors.ts';
import { planImport } from '../../src/import/index.ts';
import { takeSignature } from '../../src/import/signature.ts';
import { buildSite } from '../../src/build/index.ts';
import { tempDir, testConfig } from '../support/spine.ts';
import { png } from './docx-fixtures.ts';
import { IMPORT_FIXTURES, issuesFolder, listFiles, messageLines, runImport, tempFile } from './helpers.ts';

const SECTION = '\n\n# Forumet för arkiv\n\nForumet träffas i Stockholm.\n';

async function refusal(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; hint: string | undefined }> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return { name: error.name, message: error.message, hint: error.hint };
}

function paragraph(...lines: string[]): MdParagraph {
  const children: PhrasingContent[] = lines.flatMap((line, index) =>
    index === 0
      ? [{ type: 'text' as const, value: line }]
      : [{ type: 'break' as const }, { type: 'text' as const, value: line }],
  );
  return { type: 'paragraph', children };
}

describe('dates', () => {
  it.each([
    ['Mars 2023', '2023-03-30'],
    ['mars 2023', '2023-03-30'],
    ['Nyhetsbrev december 2024', '2024-12-19'],
  ])(
    'dates a source labelled "%s" on the month’s usual day, with a warning to confirm it',
    async (label, date) => {
      const source = tempFile('utan-datum.md', `${label}\n\nLedaren.${SECTION}`);
      const plan = await planImport({ files: [source], issuesDir: tempDir() });
      expect(new TextDecoder().decode(plan.issues[0]!.files.get('issue.md'))).toContain(`date: ${date}\n`);
      expect(
        plan.messages.filter((message) => message.ruleId === 'date').map((message) => message.severity),
      ).toEqual(['warning']);
    },
  );

  it('takes a stated date without a warning: front matter, a page’s published date', async () => {
    const page = tempFile(
      'sida.html',
      '<html><head><meta property="article:published_time" content="2022-09-29T08:00:00+02:00"></head><body><main><h1>Rubrik</h1><p>Ledare.</p><h2>Del</h2><p>Text.</p></main></body></html>',
    );
    const plan = await planImport({ files: [page], issuesDir: tempDir() });
    expect(plan.issues[0]!.id).toBe('2022-09');
    expect(new TextDecoder().decode(plan.issues[0]!.files.get('issue.md'))).toContain('date: 2022-09-29\n');
    expect(plan.messages.filter((message) => message.ruleId === 'date')).toEqual([]);
  });

  it('refuses a source that says nothing about its date, and --as-issue names the month', async () => {
    const source = tempFile('utan-datum.md', `Ledaren.${SECTION}`);
    const issues = tempDir();
    const error = await refusal(planImport({ files: [source], issuesDir: issues }));
    expect(error.name).toBe('ImportRefused');
    expect(error.hint).toContain('--as-issue');
    const plan = await runImport({ files: [source], issuesDir: issues, asIssue: '2025-02' });
    expect(new TextDecoder().decode(plan.issues[0]!.files.get('issue.md'))).toContain('date: 2025-02-27\n');
    expect(plan.messages.map((message) => `${message.severity} ${message.ruleId}`)).toContain('warning date');
  });
});

describe('signature', () => {
  it.each([
    [['Karin Lindqvist, kanslichef'], 'Karin Lindqvist, kanslichef', 0],
    [['/Karin Lindqvist'], 'Karin Lindqvist', 0],
    [['– Per-Olof af Ekström, ordförande'], 'Per-Olof af Ekström, ordförande', 0],
    [['Karin Lindqvist', 'Kanslichef'], 'Karin Lindqvist, Kanslichef', 0],
    [['Med vänliga hälsningar', 'Karin Lindqvist'], 'Karin Lindqvist', 1],
  ])('recognises %j as the signature', (lines, editor, kept) => {
    const found = takeSignature([paragraph('Ledaren.'), paragraph(...lines)]);
    expect(found?.editor).toBe(editor);
    expect(found?.blocks).toHaveLength(1 + kept);
  });

  it.each([
    [['Trevlig läsning!']],
    [['Vi ses i Göteborg']],
    [['Läs mer på webbplatsen.']],
    [['Stockholm', 'Göteborg och Malmö']],
  ])('never makes %j a signature', (lines) => {
    expect(takeSignature([paragraph(...lines)])).toBeUndefined();
  });
});

describe('what can not be mapped', () => {
  it('lets no raw HTML through, and reports each loss at its line', async () => {
    const page = tempFile(
      'sida.html',
      `<!DOCTYPE html><html><head><title>Nyhetsbrev maj 2021</title></head><body><main>
<h1>Rubrik</h1>
<p>Ledare med <span style="font-size:14px">stil</span> och <u>understrykning</u>.</p>
<h2>Del</h2>
<p onclick="alert(1)">Text med <font color="red">färg</font> och <b>fetstil</b>.<script>alert(2)</script></p>
<object data="film.swf"></object>
<video src="film.mp4"></video>
<svg><title>Ikon</title></svg>
<div class="kort"><img src="data:image/png;base64,${(await import('./docx-fixtures.ts')).png(2, 2, [1, 2, 3]).toString('base64')}" alt="Liten ruta"></div>
</main></body></html>`,
    );
    const issues = tempDir();
    const plan = await runImport({ files: [page], issuesDir: issues });
    const id = plan.issues[0]!.id;
    for (const file of listFiles(join(issues, id)).filter((name) => name.endsWith('.md'))) {
      expect(readFileSync(join(issues, id, file), 'utf8')).not.toMatch(/<[a-z/!]/i);
    }
    expect(readFileSync(join(issues, id, '01-del.md'), 'utf8')).toBe(
      '# Del\n\nText med färg och **fetstil**.\n\n![Liten ruta](images/bild.png)\n',
    );
    expect(
      messageLines(plan.messages)
        .split('\n')
        .filter((line) => / (warning|error) /.test(line)),
    ).toEqual([
      'sida.html warning date The date 2021-05-27 comes from the month label "Nyhetsbrev maj 2021" (the page’s <title>); confirm the day',
      'sida.html:3:1 warning signature No signature line found at the end of the editorial; issue.md has no `editor:`',
      'sida.html:3:15 warning inline-style Inline style `font-size:14px` on <span> left out',
      'sida.html:3:60 warning formatting Underline of "understrykning" left out; the text is kept',
      'sida.html:5:32 warning formatting Colour `color="red"` on <font> left out',
      'sida.html:5:32 warning formatting Font of "färg" left out; the text is kept',
      'sida.html:6:1 warning embedded Embedded <object> `film.swf` cannot be part of an issue; left out',
      'sida.html:7:1 warning embedded Embedded <video> `film.mp4` cannot be part of an issue; left out',
      'sida.html:8:1 warning embedded Embedded <svg> cannot be part of an issue; left out',
    ]);
  });

  it('lists the first ten of a repeated loss one by one, then counts the rest at the last place', async () => {
    const paragraphs = Array.from(
      { length: 15 },
      (_, index) => `<p style="text-align:center">Stycke ${index + 1}.</p>`,
    );
    const page = tempFile(
      'centrerad.html',
      `<main><h1>Rubrik</h1><p>Publicerat 2020-01-30</p>\n${paragraphs.join('\n')}\n</main>`,
    );
    const plan = await planImport({ files: [page], issuesDir: tempDir() });
    const styles = plan.messages.filter((message) => message.ruleId === 'inline-style');
    expect(styles).toHaveLength(11);
    expect(styles[10]).toMatchObject({
      place: { line: 16, column: 1 },
      reason: '…and 5 more like "Inline style `text-align:center` on <p> left out" (the last one here)',
    });
  });

  it('reports a Word style it has no form for at the paragraph that uses it', async () => {
    const source = tempFile(
      'bidrag.docx',
      await Packer.toBuffer(
        new Document({
          styles: {
            paragraphStyles: [{ id: 'Ingress', name: 'Ingress', basedOn: 'Normal', run: { size: 28 } }],
          },
          sections: [
            {
              children: [
                new Paragraph({ text: 'Nytt från Lantmäteriet', heading: HeadingLevel.HEADING_1 }),
                new Paragraph({ text: 'Lantmäteriet öppnar nya geodata för myndigheter.', style: 'Ingress' }),
                new Paragraph('Data finns från och med juni.'),
              ],
            },
          ],
        }),
      ),
    );
    const issues = issuesFolder('word-contribution');
    const plan = await runImport({ files: [source], issuesDir: issues, into: '2024-05' });
    expect(messageLines(plan.messages)).toBe(
      'bidrag.docx:paragraph 2 warning word-style Word style "Ingress" has no Markdown form; its text was imported as plain paragraphs\n',
    );
    expect(readFileSync(join(issues, '2024-05', '03-nytt-fran-lantmateriet.md'), 'utf8')).toBe(
      '# Nytt från Lantmäteriet\n\nLantmäteriet öppnar nya geodata för myndigheter.\n\nData finns från och med juni.\n',
    );
  });
});

describe('finding the article of a page', () => {
  it('takes the largest block of text when a page has no <main> or <article>', async () => {
    const page = tempFile(
      'gammal-sida.html',
      `<html><body><div id="top"><a href="/">Start</a> <a href="/om/">Om oss</a></div>
<div id="wrapper"><div id="menu"><ul><li><a href="/a/">Arkiv</a></li><li><a href="/b/">Bidrag</a></li></ul></div>
<div id="content"><h1>Nyhetsbrev oktober 2019</h1><p>Hösten har börjat och nätverket har fått en ny ordförande som presenterar sig i det här numret.</p>
<h2>Ny ordförande</h2><p>Anna Berg från Statens servicecenter leder nätverket de kommande två åren och vill stärka samarbetet mellan forumen.</p></div></div>
<div id="foot">Myndighetsnätverket</div></body></html>`,
    );
    const plan = await planImport({ files: [page], issuesDir: tempDir() });
    expect(plan.messages[0]!.reason).toBe(
      'The article was taken from the largest block of text (<div id="content">); the rest of the page was left out',
    );
    expect(plan.issues[0]!.sections).toEqual(['01-ny-ordforande.md']);
    const intro = new TextDecoder().decode(plan.issues[0]!.files.get('issue.md'));
    expect(intro).toContain('title: Nyhetsbrev oktober 2019\ndate: 2019-10-31\n');
    expect(intro).not.toMatch(/Start|Arkiv|Myndighetsnätverket\n/);
  });

  it('reads an old newsletter built of layout tables in reading order, and keeps its data table', async () => {
    const page = tempFile(
      'nyhetsbrev-februari-2012.html',
      `<html><head><title>Nyhetsbrev februari 2012</title></head><body>
<table width="600"><tr><td><a href="/">Till startsidan</a></td></tr>
<tr><td><h1>Nyhetsbrev februari 2012</h1><p>Välkommen till årets första nummer.</p><p>Hälsningar<br>Anna Berg</p>
<h2>Nytt forum</h2><p>Ett nytt forum för e-arkiv startar i mars.</p>
<table border="1"><tr><th>Datum</th><th>Plats</th></tr><tr><td><p>3 mars</p></td><td>Stockholm<br>rum 4</td></tr></table>
</td></tr><tr><td><font size="1">Avregistrera dig på webbplatsen</font></td></tr></table></body></html>`,
    );
    const plan = await planImport({ files: [page], issuesDir: tempDir() });
    const files = plan.issues[0]!.files;
    expect([...files.keys()]).toEqual(['issue.md', '01-nytt-forum.md']);
    expect(new TextDecoder().decode(files.get('issue.md'))).toBe(
      '---\ntitle: Nyhetsbrev februari 2012\ndate: 2012-02-23\neditor: Anna Berg\nstatus: draft\n---\nVälkommen till årets första nummer.\n\nHälsningar\n',
    );
    expect(new TextDecoder().decode(files.get('01-nytt-forum.md'))).toBe(
      '# Nytt forum\n\nEtt nytt forum för e-arkiv startar i mars.\n\n| Datum  | Plats           |\n| ------ | --------------- |\n| 3 mars | Stockholm rum 4 |\n',
    );
  });

  it('leaves out the page’s own table of contents, and takes a lazy-loaded image from data-src', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bild.png'), png(3, 3, [10, 20, 30]));
    writeFileSync(
      join(dir, 'nyhetsbrev-juni-2024.html'),
      `<html><body><main><h1>Sommar i nätverket</h1><p>Ledare.</p>
<h2>I detta nummer</h2><ul><li><a href="#forum">Forum</a></li><li><a href="#kalender">Kalendarium</a></li></ul>
<h2 id="forum">Forum</h2><p><img src="laddar.gif" data-src="bild.png" alt="Forumets deltagare"></p>
<h2 id="kalender">Kalendarium</h2><p>Inga möten i juli.</p></main></body></html>`,
    );
    const plan = await planImport({ files: [join(dir, 'nyhetsbrev-juni-2024.html')], issuesDir: tempDir() });
    expect(plan.issues[0]!.sections).toEqual(['01-forum.md', '02-kalendarium.md']);
    expect(new TextDecoder().decode(plan.issues[0]!.files.get('01-forum.md'))).toBe(
      '# Forum\n\n![Forumets deltagare](images/bild.png)\n',
    );
    expect(
      plan.messages.filter((message) => message.severity === 'warning').map((message) => message.ruleId),
    ).toEqual(['date', 'signature']);
  });

  it('imports a page this tool published back into the sections it was built from', async () => {
    const issues = issuesFolder();
    await runImport({
      files: [join(IMPORT_FIXTURES, 'agency-page', 'input', 'nyhetsbrev-mars-2023.html')],
      issuesDir: issues,
    });
    const out = tempDir();
    await buildSite(testConfig(), {
      issuesDir: issues,
      outDir: out,
      ids: ['2023-03'],
      drafts: true,
      cache: false,
      threads: 0,
    });
    const again = tempDir();
    const plan = await runImport({
      files: [join(out, 'web', '2023-03', 'index.html')],
      issuesDir: again,
      asIssue: '2023-03',
    });
    const read = (dir: string, name: string) =>
      readFileSync(join(dir, '2023-03', name), 'utf8').replace(/images\/[\w.-]+/g, 'images/…');
    for (const name of readdirSync(join(issues, '2023-03')).filter((file) => file.endsWith('.md'))) {
      expect(read(again, name)).toBe(read(issues, name));
    }
    expect(plan.messages.filter((message) => message.severity !== 'info')).toEqual([]);
  });
});

describe('refusals: nothing is written', () => {
  it('refuses text before the first heading when adding sections to an issue', async () => {
    const source = tempFile('bidrag.md', `En inledning utan rubrik.${SECTION}`);
    const issues = issuesFolder('word-contribution');
    const before = listFiles(issues);
    const error = await refusal(runImport({ files: [source], issuesDir: issues, into: '2024-05' }));
    expect(error.name).toBe('ImportRefused');
    expect(error.message).toContain('text before its first heading (line 1)');
    expect(listFiles(issues)).toEqual(before);
  });

  it('refuses two sources of the same month, an issue that exists, and a file it cannot read', async () => {
    const issues = issuesFolder('word-contribution');
    const a = tempFile('a.md', `---\ndate: 2024-06-27\n---\nLedare.${SECTION}`);
    const b = tempFile('b.md', `---\ndate: 2024-06-13\n---\nLedare.${SECTION}`);
    expect((await refusal(runImport({ files: [a, b], issuesDir: issues }))).name).toBe('ImportRefused');
    const may = tempFile('c.md', `---\ndate: 2024-05-30\n---\nLedare.${SECTION}`);
    const exists = await refusal(runImport({ files: [may], issuesDir: issues }));
    expect(exists.name).toBe('IssueExists');
    expect(exists.hint).toContain('--into 2024-05');
    const old = tempFile('gammalt.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    const unreadable = await refusal(runImport({ files: [old], issuesDir: issues }));
    expect(unreadable.name).toBe('SourceUnreadable');
    expect(unreadable.hint).toContain('.docx');
    expect(listFiles(issues)).toEqual([
      '2024-05/01-forumet-for-digitalisering.md',
      '2024-05/02-kalendarium.md',
      '2024-05/issue.md',
    ]);
  });
});

describe('images of a source', () => {
  it('are read from its folder or below only: ../ and links out are left out with a message', async () => {
    const root = tempDir('nyhetsbrev-import-images-');
    mkdirSync(join(root, 'export', 'bilder'), { recursive: true });
    writeFileSync(join(root, 'hemlig.png'), png(2, 2, [200, 0, 0]));
    writeFileSync(join(root, 'export', 'bilder', 'egen.png'), png(2, 2, [0, 0, 200]));
    symlinkSync(join(root, 'hemlig.png'), join(root, 'export', 'bilder', 'lank.png'));
    const source = join(root, 'export', 'nyhet.md');
    writeFileSync(
      source,
      [
        '---',
        'date: 2025-03-20',
        '---',
        '# Nyhet',
        '',
        '![Egen bild](bilder/egen.png)',
        '',
        '![Utanför](../hemlig.png)',
        '',
        '![Kodad väg](%2e%2e/hemlig.png)',
        '',
        '![Länk ut](bilder/lank.png)',
        '',
      ].join('\n'),
    );
    const plan = await runImport({ files: [source], issuesDir: issuesFolder() });
    const images = [...plan.issues[0]!.files.keys()].filter((name) => name.startsWith('images/'));
    expect(images).toEqual(['images/egen.png']);
    const outside = plan.messages.filter((message) => message.reason.includes('outside the source'));
    expect(outside.map((message) => message.reason)).toEqual([
      'Image `../hemlig.png` is outside the source\'s folder and was not read; left out (alt text "Utanför")',
      'Image `%2e%2e/hemlig.png` is outside the source\'s folder and was not read; left out (alt text "Kodad väg")',
      'Image `bilder/lank.png` is outside the source\'s folder and was not read; left out (alt text "Länk ut")',
    ]);
  });
});
