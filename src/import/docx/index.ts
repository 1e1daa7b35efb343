import { basename } from 'node:path';
import type { Element, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toText } from 'hast-util-to-text';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { UserError } from '../../errors.ts';
import { E } from '../../errors/catalog.ts';
import { convertHtml } from '../html/index.ts';
import { ImageCollector } from '../images.ts';
import { Messages } from '../messages.ts';
import type { ImportedDocument, SourceMeta } from '../types.ts';
import { placeParagraphs } from './paragraphs.ts';
import { scanDocx } from './scan.ts';
import { all, parseXml } from './xml.ts';

/**
 * How Word styles become HTML, on top of mammoth's defaults (headings, lists, footnotes): the
 * document's "Title" paragraph is marked as the issue title; quotes become block quotes; Word's
 * own table of contents is left out (the issue makes its own).
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1.docx-title:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='No Spacing'] => p:fresh",
  "p[style-name='Caption'] => p:fresh",
  "p[style-name='TOC Heading'] => !",
  ...Array.from({ length: 9 }, (_, index) => `p[style-name='toc ${index + 1}'] => !`),
  "r[style-name='Emphasis'] => em",
  "r[style-name='Intense Emphasis'] => strong",
];

/**
 * Reads a Word document (`.docx`) with mammoth. Before mammoth, the document's XML is scanned for
 * what mammoth would drop without a word (see `scanDocx`); mammoth's own messages become import
 * messages at the paragraphs they concern. The title is the "Title" paragraph, or else comes from
 * the headings (see the planner); the document's properties give a fallback title and a file date.
 */
export async function readDocxSource(file: string, bytes: Uint8Array): Promise<ImportedDocument> {
  const messages = new Messages(file, true);
  const zip = await JSZip.loadAsync(bytes).catch((error: unknown) => {
    throw new UserError(E.DocxUnreadable, { file, problem: 'not-zip' }, { cause: error });
  });
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (!documentXml) throw new UserError(E.DocxUnreadable, { file, problem: 'no-document' });
  const part = (name: string) => zip.file(`word/${name}.xml`)?.async('string');
  const scan = scanDocx(documentXml, await part('comments'), await part('styles'), messages);
  zip.file('word/document.xml', scan.documentXml);
  const pending: { bytes: Uint8Array; contentType: string }[] = [];
  const result = await mammoth.convertToHtml(
    { buffer: await zip.generateAsync({ type: 'nodebuffer' }) },
    {
      styleMap: STYLE_MAP,
      convertImage: mammoth.images.imgElement(async (image) => {
        pending.push({ bytes: await image.readAsBuffer(), contentType: image.contentType });
        return { src: `docx-image:${pending.length - 1}` };
      }),
    },
  );
  mammothMessages(result.messages, scan.paragraphsByStyle, messages);
  const tree = fromHtml(result.value, { fragment: true });
  placeParagraphs(tree);
  const meta = await documentMeta(zip, file);
  const title = takeTitle(tree);
  if (title) meta.title = { text: title, from: 'the "Title" paragraph' };
  const images = new ImageCollector('.', messages);
  wordImages(tree, pending, images);
  const converted = await convertHtml(tree, messages, images, { base: undefined, word: true });
  return {
    file,
    kind: 'docx',
    tree: converted.tree,
    meta,
    images: converted.images,
    messages: messages.done(),
  };
}

/** The first "Title" paragraph, taken out of the tree; later ones stay as headings. */
function takeTitle(tree: HastRoot): string | undefined {
  const index = tree.children.findIndex(
    (node) =>
      node.type === 'element' &&
      node.tagName === 'h1' &&
      String(node.properties.className ?? '').includes('docx-title'),
  );
  if (index === -1) return undefined;
  const text = toText(tree.children[index] as Element)
    .replace(/\s+/g, ' ')
    .trim();
  tree.children.splice(index, 1);
  return text || undefined;
}

/** Puts the images mammoth found into the collector, at their paragraphs. */
function wordImages(
  tree: HastRoot,
  pending: { bytes: Uint8Array; contentType: string }[],
  images: ImageCollector,
): void {
  const walk = (parent: { children: HastRoot['children'] }) => {
    parent.children = parent.children.filter((node): boolean => {
      if (node.type !== 'element') return true;
      walk(node);
      const src = String(node.properties.src ?? '');
      if (node.tagName !== 'img' || !src.startsWith('docx-image:')) return true;
      const image = pending[Number(src.slice('docx-image:'.length))]!;
      const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
      const token = images.add(image.bytes, 'bild', { src: image.contentType, alt, place: node.position });
      if (token) node.properties.src = token;
      return token !== undefined;
    });
  };
  walk(tree);
}

/** Mammoth's warnings as import messages: an unknown paragraph style points at its first paragraph. */
function mammothMessages(
  list: { type: string; message: string }[],
  byStyle: Map<string, number[]>,
  messages: Messages,
): void {
  for (const { message } of list) {
    const style = /^Unrecognised (paragraph|run) style: '(.*)' \(Style ID: (.*)\)$/.exec(message);
    if (style) {
      const paragraphs = byStyle.get(style[3]!) ?? [];
      const name = style[2] === 'null' ? style[3]! : style[2]!;
      const count = paragraphs.length > 1 ? ` (${paragraphs.length} paragraphs)` : '';
      messages.add(
        `Word style "${name}" has no Markdown form; its text was imported as plain ${style[1] === 'run' ? 'text' : 'paragraphs'}${count}`,
        {
          ruleId: 'word-style',
          place: paragraphs[0] ? { paragraph: paragraphs[0] } : undefined,
          hint: 'Use Word\u2019s built-in styles (Rubrik 1–3, Citat, lists) for structure; check the text in the section file.',
        },
      );
      continue;
    }
    messages.add(`Word: ${message}`, {
      ruleId: 'word',
      hint: 'Check the imported text against the document.',
    });
  }
}

/** The document's properties (`docProps/core.xml`): a fallback title, month labels, a file date. */
async function documentMeta(zip: JSZip, file: string): Promise<SourceMeta> {
  const meta: SourceMeta = { labels: [] };
  const core = await zip.file('docProps/core.xml')?.async('string');
  const doc = core ? parseXml(core) : undefined;
  const value = (name: string) => (doc ? all(doc, name)[0]?.textContent?.trim() || undefined : undefined);
  const title = value('dc:title');
  const subject = value('dc:subject');
  if (title) meta.fallbackTitle = { text: title, from: 'the document’s properties' };
  for (const [text, from] of [
    [title, 'title'],
    [subject, 'subject'],
  ] as const) {
    if (text) meta.labels.push({ text, from: `the document’s ${from}` });
  }
  meta.labels.push({ text: basename(file).replace(/[-_.]+/g, ' '), from: 'the file name' });
  const created = value('dcterms:created')?.slice(0, 10);
  if (created && /^\d{4}-\d{2}-\d{2}$/.test(created))
    meta.fileDate = { value: created, from: 'the date the Word file was created' };
  return meta;
}
