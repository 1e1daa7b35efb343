import type { Element, ElementContent, Parents, Root } from 'hast';
import { toText } from 'hast-util-to-text';
import { visitParents } from 'unist-util-visit-parents';

/** Tag names of the stand-ins the Markdown conversion turns into footnote nodes. */
export const FOOTNOTE_REF = 'x-footnote-ref';
export const FOOTNOTE_DEF = 'x-footnote-def';

/** What a footnote call's text looks like: `1`, `[1]`, `(1)`, `*`, `i`. */
const CALL_TEXT = /^[[(]?(?:\d{1,3}|\*{1,3}|[ivx]{1,4})[\])]?$/;
/** Ids and names that say "note": `fn1`, `_ftn1`, `footnote-1`, `endnote-2`, `not-3`. */
const NOTE_ID = /fn|ftn|foot|note|endnote|^not/i;
/** Back-links from a note to its call: `↩`, `↑`, `^`, `[1]` (Word's), or marked as such. */
const BACK_TEXT = /^(?:↩︎?|↑|\^|tillbaka|back)$/i;

/**
 * Recognises footnotes in HTML (GFM's `data-footnote-ref` sections, Word's `_ftn` anchors,
 * mammoth's `footnote-1` lists, and plain `<sup><a href="#fn1">1</a></sup>` calls to a list item):
 * a call is a `#` link, inside `<sup>` or marked, whose text is a number or star, to an element
 * that is a list item or named like a note. Calls become {@link FOOTNOTE_REF} stand-ins, notes
 * {@link FOOTNOTE_DEF} stand-ins at the end of `root` (their back-links dropped), and a note list
 * left empty goes. Returns how many footnotes were found.
 */
export function recogniseFootnotes(root: Element | Root): number {
  const targets = namedElements(root);
  const notes = new Map<Element, string>();
  const calls: { call: Element; parent: Parents; id: string }[] = [];
  visitParents(root, 'element', (node, ancestors) => {
    if (node.tagName !== 'a') return;
    const href = node.properties.href;
    if (typeof href !== 'string' || !href.startsWith('#') || href.length < 2) return;
    const parent = ancestors.at(-1)!;
    const inSup = parent.type === 'element' && parent.tagName === 'sup';
    const marked = node.properties.dataFootnoteRef !== undefined;
    if (!marked && !((inSup || insideSup(node)) && CALL_TEXT.test(toText(node).trim()))) return;
    // A link inside a note already found is its back-link, not a call.
    if (ancestors.some((ancestor) => ancestor.type === 'element' && notes.has(ancestor))) return;
    const target = targets.get(safeDecode(href.slice(1)));
    const note = target && noteOf(target, root);
    if (!note || note.contains(node)) return;
    let id = notes.get(note.element);
    if (!id) notes.set(note.element, (id = String(notes.size + 1)));
    const call =
      inSup && parent.type === 'element' && parent.children.filter(isContent).length === 1 ? parent : node;
    const holder = call === node ? parent : ancestors.at(-2)!;
    calls.push({ call, parent: holder, id });
  });
  for (const { call, parent, id } of calls) {
    const index = parent.children.indexOf(call);
    if (index !== -1) parent.children[index] = stand(FOOTNOTE_REF, id, [], call);
  }
  moveNotesToEnd(root, notes);
  return notes.size;
}

/** Each element with an `id` or `name`, by that value (the first, where one repeats). */
function namedElements(root: Element | Root): Map<string, Element> {
  const targets = new Map<string, Element>();
  visitParents(root, 'element', (node) => {
    for (const key of ['id', 'name'] as const) {
      const value = node.properties[key];
      if (typeof value === 'string' && !targets.has(value)) targets.set(value, node);
    }
  });
  return targets;
}

/** Replaces each note by a {@link FOOTNOTE_DEF} stand-in at the end of `root`, without its back-links. */
function moveNotesToEnd(root: Element | Root, notes: Map<Element, string>): void {
  const definitions: Element[] = [];
  for (const [element, id] of notes) {
    removeBackLinks(element);
    definitions.push(
      stand(FOOTNOTE_DEF, id, element.tagName === 'li' ? element.children : [element], element),
    );
    detach(root, element);
  }
  dropEmptyNoteLists(root);
  root.children.push(...definitions);
}

/** The note a call points at: a list item, or a block named like a note (Word's `<a name>` inside it). */
function noteOf(
  target: Element,
  root: Element | Root,
): { element: Element; contains: (node: Element) => boolean } | undefined {
  const path = pathTo(root, target) ?? [];
  const item = [...path, target]
    .reverse()
    .find((node) => node.type === 'element' && node.tagName === 'li') as Element | undefined;
  const named = NOTE_ID.test(String(target.properties.id ?? target.properties.name ?? ''));
  const element = item ?? (named ? blockOf(target, path) : undefined);
  if (!element) return undefined;
  return { element, contains: (node) => pathTo(element, node) !== undefined };
}

function blockOf(target: Element, path: Parents[]): Element {
  if (target.tagName !== 'a' && target.tagName !== 'span') return target;
  const block = [...path]
    .reverse()
    .find((node) => node.type === 'element' && ['p', 'div'].includes(node.tagName));
  return (block as Element | undefined) ?? target;
}

function removeBackLinks(note: Element): void {
  visitParents(note, 'element', (node, ancestors) => {
    if (node.tagName !== 'a') return;
    const href = node.properties.href;
    const back =
      node.properties.dataFootnoteBackref !== undefined ||
      (typeof href === 'string' &&
        href.startsWith('#') &&
        (BACK_TEXT.test(toText(node).trim()) || CALL_TEXT.test(toText(node).trim())));
    if (!back) return;
    const parent = ancestors.at(-1)!;
    parent.children.splice(parent.children.indexOf(node), 1);
    return 'skip';
  });
}

/**
 * Lists and sections of notes left with nothing but a heading ("Fotnoter") or a rule go, inner
 * ones first so that a section holding an emptied list goes too.
 */
function dropEmptyNoteLists(parent: Parents): void {
  parent.children = parent.children.filter((node) => {
    if (node.type !== 'element') return true;
    dropEmptyNoteLists(node);
    const isNoteList =
      ['ol', 'ul'].includes(node.tagName) ||
      node.properties.dataFootnotes !== undefined ||
      /footnote|fotnot|ftn/i.test(String(node.properties.className ?? '') + String(node.properties.id ?? ''));
    return !isNoteList || node.children.some((child) => isContent(child) && !isLabel(child));
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isLabel(node: ElementContent): boolean {
  return node.type === 'element' && (/^h[1-6]$/.test(node.tagName) || node.tagName === 'hr');
}

function isContent(node: ElementContent): boolean {
  return node.type === 'element' || (node.type === 'text' && node.value.trim() !== '');
}

function insideSup(node: Element): boolean {
  return node.children.some((child) => child.type === 'element' && child.tagName === 'sup');
}

function stand(tagName: string, id: string, children: ElementContent[], from: Element): Element {
  return {
    type: 'element',
    tagName,
    properties: { dataId: id },
    children,
    ...(from.position && { position: from.position }),
  };
}

function detach(root: Element | Root, node: Element): void {
  const parent = (pathTo(root, node) ?? []).at(-1);
  if (parent) parent.children.splice(parent.children.indexOf(node), 1);
}

/** The ancestors of `node` under `root` (root first), or undefined when it is not there. */
function pathTo(root: Parents, node: Element): Parents[] | undefined {
  for (const child of root.children) {
    if (child === node) return [root];
    if (child.type === 'element') {
      const path = pathTo(child, node);
      if (path) return [root, ...path];
    }
  }
  return undefined;
}
