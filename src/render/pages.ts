import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Heading } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import { toHtml } from 'hast-util-to-html';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Config } from '../config/schema.ts';
import { stringsFor } from '../locale.ts';
import { statementFacts } from './statement.ts';
import { renderWebPage } from './web.ts';
import type { PublicList } from '../read/lists.ts';

/** The accessibility statement (`tillganglighet/index.html`), in the config's locale. */
export function renderStatementPage(config: Config): string {
  const strings = stringsFor(config.locale);
  return renderWebPage(
    'statement.hbs',
    {
      root: '../',
      pageTitle: `${strings.accessibility} – ${config.newsletter}`,
      description: `${strings.accessibility}: ${config.newsletter}`,
      canonical: new URL('tillganglighet/', config.baseUrl).href,
      current: 'statement',
    },
    {
      statementPartial: `statement-${config.locale}`,
      contact: contactLink(config.accessibility.contact),
      statementHtml: statementHtml(config),
      ...statementFacts(config),
    },
    config,
  );
}

/** The subscribe page (`prenumerera/index.html`): a plain form posting to the endpoint. */
export function renderSubscribePage(config: Config, lists: readonly PublicList[]): string {
  const strings = stringsFor(config.locale);
  return renderWebPage(
    'subscribe.hbs',
    {
      root: '../',
      pageTitle: `${strings.subscribeTitle} – ${config.newsletter}`,
      description: strings.subscribeIntro,
      canonical: new URL('prenumerera/', config.baseUrl).href,
      current: 'subscribe',
    },
    { action: subscribeAction(config), lists },
    config,
  );
}

/** The search page (`sok/index.html`): works with JavaScript, links to the archive without. */
export function renderSearchPage(config: Config): string {
  const strings = stringsFor(config.locale);
  return renderWebPage(
    'search.hbs',
    {
      root: '../',
      pageTitle: `${strings.searchTitle} – ${config.newsletter}`,
      description: strings.searchTitle,
      canonical: new URL('sok/', config.baseUrl).href,
      current: 'search',
      noindex: true,
    },
    {},
    config,
  );
}

/** `POST` target of the subscribe form: `<endpoint>prenumerera` (default endpoint as in `personalise`). */
export function subscribeAction(config: Config): string {
  const base = config.endpoint ?? new URL('prenumeration/', config.baseUrl).href;
  return new URL('prenumerera', base.endsWith('/') ? base : `${base}/`).href;
}

function contactLink(contact: string | undefined): { href: string; text: string } | undefined {
  if (!contact) return undefined;
  const text = contact.replace(/^mailto:/, '');
  if (/^https?:\/\//.test(contact)) return { href: contact, text };
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return { href: `mailto:${text}`, text };
  if (/^\+?[\d\s-]{6,}$/.test(text)) return { href: `tel:${text.replace(/[\s-]/g, '')}`, text };
  return { href: '', text };
}

/**
 * `accessibility.statement` as HTML: Markdown text, or a `.md` file relative to the config.
 * Headings are moved below the page's `h2` so the outline stays intact. Raw HTML is dropped.
 */
function statementHtml(config: Config): string | undefined {
  const value = config.accessibility.statement;
  if (!value) return undefined;
  const file = resolve(config.root, value);
  const markdown = value.endsWith('.md') && existsSync(file) ? readFileSync(file, 'utf8') : value;
  const tree = unified().use(remarkParse).use(remarkGfm).parse(markdown);
  visit(tree, 'heading', (node: Heading) => {
    node.depth = Math.min(node.depth + 2, 6) as Heading['depth'];
  });
  return toHtml(toHast(tree));
}
