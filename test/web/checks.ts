import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { HtmlValidate } from 'html-validate';
import { elements } from '../support/spine.ts';

/** The URL-valued attributes checked for broken internal links. */
const URL_ATTRIBUTES = ['href', 'src', 'action'] as const;

/**
 * Every relative `href`/`src`/`action` of the page `path` (relative to `site`) that does not
 * resolve to a file of the site, or whose `#fragment` names no element of its target, as
 * readable strings. External (absolute) URLs are left to `check`; the canonical URL must map to a
 * file when it lies under `baseUrl`.
 */
export function brokenLinks(site: string, path: string, baseUrl: string): string[] {
  const problems: string[] = [];
  const page = new URL(path, 'file:///site/');
  const tree = parse(site, path);
  for (const node of elements(tree, (element) =>
    URL_ATTRIBUTES.some((name) => typeof element.properties[name] === 'string'),
  )) {
    for (const name of URL_ATTRIBUTES) {
      const value = node.properties[name];
      if (typeof value !== 'string') continue;
      const absolute =
        name !== 'action' && value.startsWith(baseUrl)
          ? `./${'../'.repeat(path.split('/').length - 1)}${value.slice(baseUrl.length)}`
          : value;
      if (/^[a-z][a-z0-9+.-]*:/i.test(absolute) || absolute.startsWith('//')) continue;
      const target = new URL(absolute, page);
      if (!target.pathname.startsWith('/site/')) {
        problems.push(`${path}: <${node.tagName} ${name}="${value}"> → outside the site (root-relative)`);
        continue;
      }
      const file = decodeURIComponent(target.pathname.replace(/^\/site\//, '')).replace(
        /(^|\/)$/,
        '$1index.html',
      );
      if (!existsSync(join(site, file)) || statSync(join(site, file)).isDirectory()) {
        problems.push(`${path}: <${node.tagName} ${name}="${value}"> → missing ${file}`);
        continue;
      }
      const fragment = decodeURIComponent(target.hash.slice(1));
      if (fragment && file.endsWith('.html') && !idsOf(parse(site, file)).has(fragment)) {
        problems.push(`${path}: <${node.tagName} ${name}="${value}"> → no #${fragment} in ${file}`);
      }
    }
  }
  return problems;
}

/** Heading outline problems: not exactly one `h1`, or a level skipped going deeper. */
export function headingProblems(tree: Root): string[] {
  const levels = elements(tree, (node) => /^h[1-6]$/.test(node.tagName)).map((node) =>
    Number(node.tagName[1]),
  );
  const problems: string[] = [];
  const h1 = levels.filter((level) => level === 1).length;
  if (h1 !== 1) problems.push(`${h1} h1 elements, expected 1`);
  if (levels[0] !== 1) problems.push(`first heading is h${levels[0]}, expected h1`);
  levels.forEach((level, index) => {
    const before = levels[index - 1];
    if (before !== undefined && level > before + 1) problems.push(`h${before} followed by h${level}`);
  });
  return problems;
}

/** The page's landmark elements by tag name, in document order. */
export function landmarks(tree: Root): string[] {
  return elements(tree, (node) => ['header', 'nav', 'main', 'footer', 'aside'].includes(node.tagName))
    .filter((node) => node.tagName !== 'header' || !insideArticle(tree, node))
    .map((node) => node.tagName);
}

/** Parses a page of the site. */
export function parse(site: string, path: string): Root {
  return fromHtml(readFileSync(join(site, path), 'utf8'));
}

function idsOf(tree: Root): Set<string> {
  return new Set(
    elements(tree, (node) => node.properties.id !== undefined).map((node) => String(node.properties.id)),
  );
}

function insideArticle(tree: Root, target: Element): boolean {
  return elements(tree, (node) => node.tagName === 'article').some(
    (article) => elements({ type: 'root', children: [article] }, (node) => node === target).length > 0,
  );
}

let validator: HtmlValidate | undefined;

/** html-validate messages (with `.htmlvalidate.json`, the repository's preset) for one page. */
export async function htmlProblems(site: string, path: string): Promise<string[]> {
  validator ??= new HtmlValidate(JSON.parse(readFileSync('.htmlvalidate.json', 'utf8')) as object);
  const report = await validator.validateString(readFileSync(join(site, path), 'utf8'), path);
  return report.results.flatMap((result) =>
    result.messages.map((m) => `${path}:${m.line}:${m.column} ${m.ruleId} ${m.message}`),
  );
}
