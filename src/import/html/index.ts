import { basename, dirname } from 'node:path';
import type { Element, Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toText } from 'hast-util-to-text';
import iconv from 'iconv-lite';
import type { Root } from 'mdast';
import { dateIn } from '../dates.ts';
import { ImageCollector } from '../images.ts';
import { Messages } from '../messages.ts';
import type { ImportedDocument, SourceMeta } from '../types.ts';
import { cleanContent, type CleanOptions } from './clean.ts';
import { describe, findContent } from './content.ts';
import { recogniseFootnotes } from './footnotes.ts';
import { htmlToMdast } from './to-mdast.ts';

/** `<meta>` names and properties that state a publication date. */
const DATE_METAS = [
  'meta[property="article:published_time"]',
  'meta[itemprop="datePublished"]',
  'meta[name="dcterms.date"]',
  'meta[name="DC.date.issued"]',
  'meta[name="DC.date"]',
  'meta[name="date"]',
  'meta[name="publish-date"]',
  'meta[name="pubdate"]',
];

/**
 * Reads a saved newsletter page: finds its article (see `findContent`), leaves out the page's
 * header, navigation, footer, scripts and forms, and converts the article to mdast with every
 * loss reported. Title and date come from the page's `h1`, its `<meta>` tags and `<title>`.
 */
export async function readHtmlSource(file: string, bytes: Uint8Array): Promise<ImportedDocument> {
  const messages = new Messages(file, false);
  const tree = fromHtml(decode(bytes, messages));
  const meta = pageMeta(tree, file);
  const content = findContent(tree);
  messages.add(`The article was taken from ${at(content)}; the rest of the page was left out`, {
    ruleId: 'left-out',
    severity: 'info',
    place: content.node.position?.start,
  });
  const pageH1s = selectAll('h1', tree);
  if (pageH1s.length === 1 && !select('h1', content.node))
    meta.title = { text: flat(toText(pageH1s[0]!)), from: 'the page’s <h1>' };
  // The content element itself is a wrapper (a <td> of a layout table, even): only its children count.
  const root: HastRoot = {
    type: 'root',
    children: [{ type: 'element', tagName: 'div', properties: {}, children: content.node.children }],
  };
  const mdast = await convertHtml(root, messages, new ImageCollector(dirname(file), messages), {
    base: baseOf(tree),
  });
  return { file, kind: 'html', tree: mdast.tree, meta, images: mdast.images, messages: messages.done() };
}

/**
 * HTML (a page's article, or mammoth's rendering of a Word document) → mdast: footnotes
 * recognised, everything without a Markdown form cleaned out with a message, images collected.
 */
export async function convertHtml(
  root: HastRoot,
  messages: Messages,
  images: ImageCollector,
  options: CleanOptions,
): Promise<{ tree: Root; images: ImageCollector['images'] }> {
  recogniseFootnotes(root);
  cleanContent(root, messages, options);
  await loadImages(root, images);
  return { tree: htmlToMdast(root), images: images.images };
}

async function loadImages(root: HastRoot, images: ImageCollector): Promise<void> {
  const found: { node: Element; parent: { children: unknown[] } }[] = [];
  const walk = (parent: { children: HastRoot['children'] }) => {
    for (const child of parent.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'img') found.push({ node: child, parent });
      else walk(child);
    }
  };
  walk(root);
  for (const { node, parent } of found) {
    const src = String(node.properties.src ?? '');
    if (src.startsWith('import-image-')) continue; // a Word document's, already collected
    const alt = typeof node.properties.alt === 'string' ? node.properties.alt : '';
    const token = src ? await images.load({ src, alt, place: node.position?.start }) : undefined;
    if (token) node.properties.src = token;
    else parent.children.splice(parent.children.indexOf(node), 1);
  }
}

function pageMeta(tree: HastRoot, file: string): SourceMeta {
  const content = (selector: string) => {
    const node = select(selector, tree);
    const value = node?.properties.content;
    return typeof value === 'string' && value.trim() ? flat(value) : undefined;
  };
  const meta: SourceMeta = { labels: [] };
  for (const selector of DATE_METAS) {
    const value = content(selector);
    const date = value && dateIn(value);
    if (date) {
      meta.date = {
        value: date,
        from: `the page’s ${selector.replace(/^meta\[|\]$/g, '').replace(/"/g, '')}`,
      };
      break;
    }
  }
  const ogTitle = content('meta[property="og:title"]');
  const titleNode = select('title', tree);
  const title = titleNode ? flat(toText(titleNode)) : undefined;
  if (ogTitle) meta.fallbackTitle = { text: ogTitle, from: 'the page’s og:title' };
  else if (title) meta.fallbackTitle = { text: title, from: 'the page’s <title>' };
  for (const [text, from] of [
    [ogTitle, 'og:title'],
    [title, '<title>'],
  ] as const) {
    if (text) meta.labels.push({ text, from: `the page’s ${from}` });
  }
  meta.labels.push({ text: basename(file).replace(/[-_.]+/g, ' '), from: 'the file name' });
  return meta;
}

/** The page's own address, for relative links: `<base href>`, the canonical link, `og:url`. */
function baseOf(tree: HastRoot): string | undefined {
  const candidates = [
    select('base[href]', tree)?.properties.href,
    select('link[rel~=canonical]', tree)?.properties.href,
    select('meta[property="og:url"]', tree)?.properties.content,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && /^https?:\/\//i.test(candidate.trim())) return candidate.trim();
  }
  return undefined;
}

/**
 * The page's text: UTF-8 unless a BOM or a `<meta charset>` says otherwise; a page that declares
 * nothing and is not valid UTF-8 is read as Windows-1252 (older Swedish sites), with a note.
 */
function decode(bytes: Uint8Array, messages: Messages): string {
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf)
    return buffer.subarray(3).toString('utf8');
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return iconv.decode(buffer.subarray(2), 'utf-16le');
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return iconv.decode(buffer.subarray(2), 'utf-16be');
  const head = buffer.subarray(0, 2048).toString('latin1');
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (declared && declared !== 'utf-8' && declared !== 'utf8' && iconv.encodingExists(declared))
    return iconv.decode(buffer, declared);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    messages.add('The page is not UTF-8 and does not say its encoding; it was read as Windows-1252', {
      ruleId: 'encoding',
      severity: declared ? 'warning' : 'info',
    });
    return iconv.decode(buffer, 'windows-1252');
  }
}

function at(content: { node: Element; how: string }): string {
  return content.how.includes('<') ? content.how : `${content.how} ${describe(content.node)}`;
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
