import type { Root } from 'hast';
import { visit } from 'unist-util-visit';
import { RESERVED_IDS } from '../parse/index.ts';

/** Maps an anchor id of the issue to the id the email uses; unknown ids come back unchanged. */
export type EmailAnchors = (id: string) => string;

const SAFE = /^[A-Za-z0-9_-]+$/;
// Letters that Unicode does not decompose into a base letter and a mark.
const LETTERS: Record<string, string> = { æ: 'ae', ø: 'o', ß: 'ss', đ: 'd', ł: 'l', þ: 'th', ð: 'd' };

/**
 * ASCII anchor ids for an email. The web pages keep readable ids (`#temamöte-cybersäkerhet`), but
 * some mail clients mangle a non-ASCII fragment in a link and the jump goes nowhere, so the email
 * uses `#temamote-cybersakerhet`. Ids that are ASCII already stay as they are; the others are
 * transliterated and made unique against every id of the issue (intro, sections, template ids), so
 * the same issue always gets the same ids.
 */
export function emailAnchors(issue: {
  intro: { hast: Root };
  sections: { slug: string; body: { hast: Root } }[];
}): EmailAnchors {
  const ids = [...RESERVED_IDS, ...issue.sections.map((section) => section.slug)];
  for (const tree of [issue.intro.hast, ...issue.sections.map((section) => section.body.hast)]) {
    visit(tree, 'element', (node) => {
      if (typeof node.properties.id === 'string') ids.push(node.properties.id);
    });
  }
  const map = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of ids) {
    if (!SAFE.test(id)) continue;
    map.set(id, id);
    taken.add(id);
  }
  for (const id of ids) {
    if (map.has(id)) continue;
    const base = asciiId(id);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}-${n}`;
    map.set(id, candidate);
    taken.add(candidate);
  }
  return (id) => map.get(id) ?? map.get(decoded(id)) ?? id;
}

/** `temamöte-cybersäkerhet` → `temamote-cybersakerhet`: letters without their marks, the rest `-`. */
export function asciiId(id: string): string {
  const ascii = decoded(id)
    .toLowerCase()
    .replace(/[æøßđłþð]/g, (letter) => LETTERS[letter] ?? '-')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return ascii || 'id';
}

// Footnote ids and hrefs are percent-encoded by mdast-util-to-hast (`fn-k%C3%A4lla`).
function decoded(id: string): string {
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}
