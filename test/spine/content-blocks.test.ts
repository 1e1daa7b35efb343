import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toText } from 'hast-util-to-text';
import type { Element } from 'hast';
import mjml2html from 'mjml';
import { describe, expect, it } from 'vitest';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { buildWeb } from '../web/site.ts';
import { buildFixture, elements, html, ISSUE_FIXTURES, tempDir, testConfig } from '../support/spine.ts';

// A fixture issue with what an agency's editors write every month: a multi-line editor
// signature (`editor: |`), a section's closing signature, fact boxes (titled and not), links to
// other sites, to the archive and to the agency's own site, and Swedish letters in every anchor.
const built = await buildFixture('content-blocks', '2024-05');
const email = html(built.email.html);
const web = html(built.web);
const text = built.email.text;

const hasClass = (node: Element, name: string) =>
  Array.isArray(node.properties.className) && node.properties.className.includes(name);
const byClass = (tree: typeof web, name: string) => elements(tree, (node) => hasClass(node, name));

describe('fact boxes', () => {
  it('are a boxed <aside> on the web page, named by its heading: the title, or "Fakta" without one', () => {
    const boxes = elements(web, (node) => node.tagName === 'aside' && hasClass(node, 'fact-box'));
    expect(boxes).toHaveLength(2);
    const headings = boxes.map(
      (box) => elements({ type: 'root', children: [box] }, (n) => n.tagName === 'h3')[0],
    );
    expect(headings.map((heading) => heading && toText(heading))).toEqual(['Om temamötet', 'Fakta']);
    for (const [index, box] of boxes.entries()) {
      expect(box.properties.ariaLabelledBy).toEqual([headings[index]!.properties.id]);
    }
    expect(toText(boxes[0]!)).toContain('Stockholm och digitalt');
  });

  it('are a bordered one-cell layout table in the email, with the heading inside', () => {
    expect(elements(email, (node) => node.tagName === 'aside')).toEqual([]);
    const boxes = byClass(email, 'fact-box');
    expect(boxes.map((box) => [box.tagName, box.properties.role])).toEqual([
      ['table', 'presentation'],
      ['table', 'presentation'],
    ]);
    const cells = byClass(email, 'fact-box-cell');
    for (const cell of cells) expect(String(cell.properties.style)).toMatch(/border:2px solid #[0-9a-f]{6}/);
    expect(toText(cells[0]!)).toMatch(/^Om temamötet/);
    expect(toText(cells[1]!)).toMatch(/^Fakta/);
  });

  it('are a block marked with "| " in the text part', () => {
    expect(text).toContain(
      [
        '| Om temamötet',
        '|',
        '| - När: 12 juni 2024 kl. 9.00–12.00',
        '| - Var: Stockholm och digitalt',
        '| - Anmälan: senast 5 juni på nätverkets webbplats',
        '|   (https://natverket.example.org/anmalan/temamote-cybersakerhet)',
      ].join('\n'),
    );
    expect(text).toContain('| Fakta\n|\n| Incidenter ska rapporteras inom 24 timmar.');
    expect(text).not.toContain(':::');
  });

  it('leave a colon inside a word alone: "EU:s" is text in every output', () => {
    expect(toText(web)).toContain('enligt EU:s NIS2-direktiv');
    expect(toText(email)).toContain('enligt EU:s NIS2-direktiv');
    expect(text).toMatch(/enligt EU:s\s+NIS2-direktiv/);
  });
});

/** Parses a one-issue archive written on the spot: `issue.md` front matter and one section. */
async function parseOne(front: string, section: string) {
  const dir = tempDir();
  mkdirSync(join(dir, '2024-06'));
  writeFileSync(join(dir, '2024-06', 'issue.md'), `---\ntitle: T\ndate: 2024-06-27\n${front}\n---\nIntro.\n`);
  writeFileSync(join(dir, '2024-06', '01-a.md'), section);
  const archive = await loadArchive(dir, testConfig());
  const messages = archive.files.flatMap((file) =>
    file.messages.map((message) => `${file.basename}:${message.line} ${message.ruleId} ${message.reason}`),
  );
  return { issue: archive.issues[0]!, messages };
}

describe('fact box mistakes', () => {
  it('warn about an unknown name (keeping its text), a missing closing `:::`, and `::: fakta` with a space', async () => {
    const { issue, messages } = await parseOne(
      'editor: K',
      '# A\n\n:::note[Obs]\nBehåll mig.\n:::\n\n::: fakta\nText.\n\n:::fakta[Öppen]\nResten av filen.\n',
    );
    expect(messages).toEqual([
      '01-a.md:3 fact-box Unexpected `:::note` block, expected `:::fakta`',
      '01-a.md:10 fact-box Unexpected fact box without a closing `:::`, expected `:::` on a line of its own',
      '01-a.md:7 fact-box Unexpected `::: fakta`, expected `:::fakta` to start a fact box',
    ]);
    const body = issue.sections[0]!.body.mdast.children.map((node) => node.type);
    expect(body.slice(0, 2)).toEqual(['paragraph', 'paragraph']); // "Obs" and "Behåll mig."
  });
});

describe('signatures', () => {
  it.each([
    ['a YAML block', 'editor: |\n  Fredrik Beijer\n  Biträdande direktör\n  Migrationsverket'],
    ['indented lines under the key', 'editor: Fredrik Beijer\n  Biträdande direktör\n  Migrationsverket'],
    ['" / " between the lines', 'editor: Fredrik Beijer / Biträdande direktör / Migrationsverket'],
  ])('read an `editor:` of several lines written as %s', async (_how, front) => {
    const { issue, messages } = await parseOne(front, '# A\n\nText.\n');
    expect(messages).toEqual([]);
    expect(issue.meta.editor).toBe('Fredrik Beijer\nBiträdande direktör\nMigrationsverket');
  });

  it("take a section's last paragraph as a signature only when its 2–6 lines are short (≤ 60 characters)", async () => {
    const breaks = async (last: string) => {
      const { issue } = await parseOne('editor: K', `# A\n\nText.\n\n${last}\n`);
      const paragraph = issue.sections[0]!.body.mdast.children.at(-1)!;
      return 'children' in paragraph ? paragraph.children.filter((node) => node.type === 'break').length : -1;
    };
    expect(await breaks('Hälsningar\nAnna Berg\nForumet för arkiv')).toBe(2);
    expect(await breaks('Anna Berg, ordförande\n*Forumet för arkiv*')).toBe(1);
    const long = 'Det här är en vanlig mening som redaktören bröt i sin editor för att';
    expect(await breaks(`${long}\nden inte skulle bli för lång.`)).toBe(0);
    expect(await breaks('1\n2\n3\n4\n5\n6\n7')).toBe(0);
    expect(await breaks('En rad utan radbrytning.')).toBe(0);
  });

  it('escape each line of the signature in HTML', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, '2024-06'));
    writeFileSync(
      join(dir, '2024-06', 'issue.md'),
      '---\ntitle: T\ndate: 2024-06-27\neditor: |\n  Anna <Berg>\n  Kansli & Co\n---\nIntro.\n',
    );
    writeFileSync(join(dir, '2024-06', '01-a.md'), '# A\n\nText.\n');
    const one = await buildIssue(await loadArchive(dir, testConfig()), '2024-06', testConfig());
    expect(one.web).toContain('<p class="signature">Anna &lt;Berg&gt;<br>Kansli &amp; Co</p>');
    expect(one.email.html).toContain('Anna &lt;Berg&gt;<br>Kansli &amp; Co</p>');
  });

  it('keep their lines in the feed, whose entry names the first line as its author', async () => {
    const { site } = await buildWeb(join(ISSUE_FIXTURES, 'content-blocks'));
    const feed = readFileSync(join(site, 'feed.xml'), 'utf8');
    expect(feed).toContain('<em>Fredrik Beijer<br>Biträdande direktör<br>Migrationsverket</em>');
    expect(feed).toMatch(/<author>\s*<name>Fredrik Beijer<\/name>/);
  });

  it('keep a one-line `editor:` as written, a slash without spaces included', async () => {
    const { issue } = await parseOne(
      'editor: Karin Lindqvist, chef för it/informationssäkerhet',
      '# A\n\nText.\n',
    );
    expect(issue.meta.editor).toBe('Karin Lindqvist, chef för it/informationssäkerhet');
  });

  it('keep the lines of a multi-line `editor:` in the web page, the email and the text part', () => {
    expect(built.issue.meta.editor).toBe('Fredrik Beijer\nBiträdande direktör\nMigrationsverket');
    for (const tree of [web, email]) {
      const [signature] = byClass(tree, 'signature');
      expect(
        signature?.children.filter((node) => node.type === 'element').map((node) => node.tagName),
      ).toEqual(['br', 'br']);
      expect(toText(signature!)).toBe('Fredrik Beijer\nBiträdande direktör\nMigrationsverket');
    }
    expect(text).toContain('\n\nFredrik Beijer\nBiträdande direktör\nMigrationsverket\n\n');
  });

  it("keep the lines of a section's closing signature, before its fact box", () => {
    const closing = (tree: typeof web) =>
      elements(tree, (node) => node.tagName === 'p' && toText(node).startsWith('Välkomna!'))[0]!;
    for (const tree of [web, email]) {
      expect(
        closing(tree).children.filter((node) => node.type === 'element' && node.tagName === 'br'),
      ).toHaveLength(2);
    }
    expect(text).toContain('Välkomna!\nAnna Berg\nOrdförande, forumet för informationssäkerhet\n');
  });

  it('turn newlines into spaces elsewhere, in HTML and text alike', () => {
    const paragraph = elements(
      web,
      (node) => node.tagName === 'p' && toText(node).startsWith('Den här texten'),
    )[0]!;
    expect(elements({ type: 'root', children: [paragraph] }, (node) => node.tagName === 'br')).toEqual([]);
    expect(text).toContain('\nDen här texten är skriven i ett enda stycke som ändå har radbrytningar i\n');
  });
});

describe('back to contents', () => {
  it('ends every section with a link to "I detta nummer", on the web page and in the email', () => {
    for (const tree of [web, email]) {
      const links = byClass(tree, 'back-to-toc').map(
        (p) => elements({ type: 'root', children: [p] }, (n) => n.tagName === 'a')[0]!,
      );
      expect(links).toHaveLength(built.issue.sections.length);
      for (const link of links) {
        expect(link.properties.href).toBe('#i-detta-nummer');
        expect(toText(link)).toBe('Till innehållsförteckningen');
      }
      expect(elements(tree, (node) => node.properties.id === 'i-detta-nummer')).toHaveLength(1);
    }
    // Kept out of the search index's excerpts.
    for (const p of byClass(web, 'back-to-toc')) expect(p.properties.dataPagefindIgnore).toBe('');
  });

  it('is localised', async () => {
    const config = testConfig('locale: en');
    const english = await buildFixture('content-blocks', '2024-05', config);
    expect(english.web).toContain('<a href="#i-detta-nummer">Back to contents</a>');
    expect(english.email.html).toContain('>Back to contents</a>');
  });
});

describe('email anchors', () => {
  it('are ASCII in the email, and every in-email link lands on one; the web page keeps readable ids', () => {
    const ids = elements(email, (node) => typeof node.properties.id === 'string').map((node) =>
      String(node.properties.id),
    );
    expect(ids).toContain('temamote-cybersakerhet');
    expect(ids).toContain('temamote-cybersakerhet-fn-1');
    for (const id of ids) expect(id).toMatch(/^[a-z0-9_-]+$/);
    const hrefs = elements(email, (node) => String(node.properties.href ?? '').startsWith('#')).map((node) =>
      String(node.properties.href).slice(1),
    );
    expect(hrefs).toContain('vagledning-om-incidentrapportering'); // written as a link to #vägledning-…
    for (const href of hrefs) expect(ids, `#${href}`).toContain(href);
    const labelled = elements(email, (node) => node.properties.ariaDescribedBy !== undefined);
    for (const node of labelled)
      for (const id of node.properties.ariaDescribedBy as string[]) expect(ids).toContain(id);
    expect(elements(web, (node) => node.properties.id === 'temamöte-cybersäkerhet')).toHaveLength(1);
  });
});

describe('the email as a whole', () => {
  it('hides the preheader with display:none, without white or tiny text', () => {
    const [preheader] = byClass(email, 'preheader');
    expect(toText(preheader!)).toBe(built.issue.meta.preheader);
    const style = String(preheader!.properties.style);
    expect(style).toContain('display:none');
    expect(style).not.toMatch(/(^|;)\s*(color|font-size|opacity)\s*:/);
  });

  it('stays MJML-valid and under 100 KB', async () => {
    await expect(
      mjml2html(built.email.mjml, { validationLevel: 'strict', fonts: {} }),
    ).resolves.toBeDefined();
    expect(Buffer.byteLength(built.email.html)).toBeLessThan(100 * 1024);
  });
});
