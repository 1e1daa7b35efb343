import { dirname } from 'node:path';
import type { Definition, Image, Link, Root, RootContent } from 'mdast';
import type { Parent, Position } from 'unist';
import { visit, SKIP } from 'unist-util-visit';
import { parse as parseYaml } from 'yaml';
import { parseMarkdown } from '../parse/markdown.ts';
import { textFile } from '../read/index.ts';
import { dateIn } from './dates.ts';
import { ImageCollector } from './images.ts';
import { Messages } from './messages.ts';
import type { ImportedDocument, SourceMeta } from './types.ts';

/** Front matter keys a Markdown source may bring along. */
const KEPT_KEYS = ['title', 'date', 'editor', 'subject', 'preheader'];

/**
 * Reads a Markdown file (GFM, optional YAML front matter) as an imported document: front matter
 * `title`, `date`, `editor`, `subject`, `preheader` are kept (`status` always becomes draft);
 * raw HTML is left out with a message; reference-style links and images become inline ones;
 * local images are collected.
 */
export async function readMarkdownSource(file: string, bytes: Uint8Array): Promise<ImportedDocument> {
  const vfile = textFile(file, bytes);
  const messages = new Messages(file, false);
  for (const message of vfile.messages) {
    messages.add(message.reason, {
      ruleId: 'encoding',
      place: message.place ?? undefined,
      hint: message.note,
    });
  }
  const tree = parseMarkdown(vfile);
  const meta = frontMatter(tree, messages);
  dropHtml(tree, messages);
  inlineReferences(tree);
  const images = new ImageCollector(dirname(file), messages);
  await collectImages(tree, images);
  return { file, kind: 'markdown', tree, meta, images: images.images, messages: messages.done() };
}

function frontMatter(tree: Root, messages: Messages): SourceMeta {
  const meta: SourceMeta = { labels: [] };
  const node = tree.children[0];
  if (node?.type !== 'yaml') return meta;
  let data: unknown;
  try {
    data = parseYaml(node.value);
  } catch (error) {
    messages.add(`Front matter is not valid YAML (${(error as Error).message.split('\n')[0]}); left out`, {
      ruleId: 'front-matter',
      place: node.position,
      hint: 'Fix the front matter and import again, or fill in issue.md by hand.',
    });
    return meta;
  }
  if (typeof data !== 'object' || data === null) return meta;
  const values = data as Record<string, unknown>;
  const text = (key: string) =>
    typeof values[key] === 'string' && values[key].trim() ? values[key].trim() : undefined;
  const title = text('title');
  if (title) meta.title = { text: title, from: 'the front matter' };
  const rawDate = values.date instanceof Date ? values.date.toISOString() : text('date');
  const date = rawDate ? dateIn(rawDate) : undefined;
  if (date) meta.date = { value: date, from: 'the front matter' };
  else if (rawDate)
    messages.add(`Front matter \`date: ${rawDate}\` is not a date; left out`, {
      ruleId: 'date',
      place: node.position,
    });
  meta.editor = text('editor');
  meta.subject = text('subject');
  meta.preheader = text('preheader');
  reportUnknownKeys(Object.keys(values), node.position, messages);
  return meta;
}

/** Notes each front matter key the issue format has no place for (`status` is set by the import). */
function reportUnknownKeys(keys: string[], place: Position | undefined, messages: Messages): void {
  for (const key of keys) {
    if (KEPT_KEYS.includes(key) || key === 'status') continue;
    messages.add(`Front matter key \`${key}\` is not part of the issue format; left out`, {
      ruleId: 'front-matter',
      severity: 'info',
      place,
    });
  }
}

function dropHtml(tree: Root, messages: Messages): void {
  visit(tree, 'html', (node, index, parent) => {
    if (!parent || index === undefined) return;
    const comment = /^<!--[\s\S]*-->$/.test(node.value.trim());
    messages.add(
      comment
        ? 'An HTML comment was left out'
        : `Raw HTML \`${node.value.slice(0, 40).replace(/\s+/g, ' ')}\` was left out`,
      {
        ruleId: 'raw-html',
        severity: comment ? 'info' : 'warning',
        place: node.position,
        hint: comment
          ? undefined
          : 'Write it in Markdown if it is needed: raw HTML never passes into an issue.',
      },
    );
    parent.children.splice(index, 1);
    return [SKIP, index];
  });
}

/** `[text][ref]` and `![alt][ref]` become inline links and images; the definitions go. */
function inlineReferences(tree: Root): void {
  const definitions = new Map<string, Definition>();
  visit(tree, 'definition', (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  visit(tree, (node, index, parent: Parent | undefined) => {
    if (!parent || index === undefined) return;
    if (node.type === 'definition') {
      parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (node.type !== 'linkReference' && node.type !== 'imageReference') return;
    const definition = definitions.get(node.identifier);
    if (!definition) return;
    const common = {
      url: definition.url,
      title: definition.title ?? null,
      ...(node.position && { position: node.position }),
    };
    const replacement: Image | Link =
      node.type === 'imageReference'
        ? { type: 'image', alt: node.alt ?? '', ...common }
        : { type: 'link', children: node.children, ...common };
    (parent.children as RootContent[])[index] = replacement;
  });
}

async function collectImages(tree: Root, images: ImageCollector): Promise<void> {
  const found: { node: Image; parent: Parent }[] = [];
  visit(tree, 'image', (node, _index, parent) => {
    if (parent) found.push({ node, parent });
  });
  for (const { node, parent } of found) {
    const token = await images.load({ src: node.url, alt: node.alt ?? '', place: node.position });
    if (token) node.url = token;
    else parent.children.splice(parent.children.indexOf(node), 1);
  }
}
