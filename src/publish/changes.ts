import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { ISSUE_ID } from '../read/index.ts';

/** How a published site differs from the one before it. */
export interface SiteChanges {
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  /** Other files (index, feed, search index, assets…) added, changed or removed. */
  otherFiles: string[];
}

/**
 * Compares two site folders (`before` may not exist). An issue counts as updated when its own
 * content changed — the `<article>` of its page or its images — not when only the teasers or
 * previous/next links around it did, which change whenever a new issue is published.
 */
export function compareSites(before: string, after: string): SiteChanges {
  const old = fingerprints(before);
  const now = fingerprints(after);
  const changes: SiteChanges = { added: [], updated: [], removed: [], unchanged: [], otherFiles: [] };
  for (const [id, print] of now.issues) {
    const previous = old.issues.get(id);
    if (previous === undefined) changes.added.push(id);
    else (previous === print ? changes.unchanged : changes.updated).push(id);
  }
  changes.removed = [...old.issues.keys()].filter((id) => !now.issues.has(id));
  const paths = new Set([...old.others.keys(), ...now.others.keys()]);
  changes.otherFiles = [...paths].filter((path) => old.others.get(path) !== now.others.get(path)).sort();
  for (const list of [changes.added, changes.updated, changes.removed, changes.unchanged]) list.sort();
  return changes;
}

/** True when nothing at all differs. */
export function isUnchanged(changes: SiteChanges): boolean {
  return (
    changes.added.length + changes.updated.length + changes.removed.length + changes.otherFiles.length === 0
  );
}

function fingerprints(dir: string): { issues: Map<string, string>; others: Map<string, string> } {
  const issues = new Map<string, string>();
  const others = new Map<string, string>();
  if (!existsSync(dir)) return { issues, others };
  for (const path of walk(dir)) {
    const [top, rest] = [path.split('/')[0] ?? '', path.split('/').slice(1).join('/')];
    if (!ISSUE_ID.test(top) || !existsSync(join(dir, top, 'index.html'))) {
      others.set(path, hashOf(readFileSync(join(dir, path))));
      continue;
    }
    const content =
      rest === 'index.html'
        ? articleOf(readFileSync(join(dir, path), 'utf8'))
        : readFileSync(join(dir, path));
    const hash = createHash('sha256')
      .update(issues.get(top) ?? '')
      .update(rest)
      .update(hashOf(content));
    issues.set(top, hash.digest('hex'));
  }
  return { issues, others };
}

// The issue's own content: its <article>, or the whole page when there is none.
function articleOf(html: string): string {
  let article: Element | undefined;
  const tree = fromHtml(html);
  visit(tree, 'element', (node: Element) => {
    if (!article && node.tagName === 'article') article = node;
  });
  return article ? toHtml(article) : html;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const visitDir = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) visitDir(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  visitDir(dir);
  return out;
}

function hashOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
