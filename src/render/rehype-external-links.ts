import type { Element, ElementContent, Root } from 'hast';
import { visit } from '../parse/visit.ts';

/** Options of {@link rehypeExternalLinks}. */
export interface ExternalLinksOptions {
  /** Hosts of this website: the archive's own and the others the config names (`externalLinks.sameSite`). */
  hosts: readonly string[];
  /** The visually hidden text, "Länk till annan webbplats" (localised). */
  text: string;
  /** Whether a small icon follows the link text too. */
  icon: boolean;
}

/**
 * Web pages only: marks links that leave the website, as Swedish public-sector sites do. The
 * link gets a visually hidden " (Länk till annan webbplats)" — part of its accessible name, kept
 * out of the search index — and, unless turned off, a small icon hidden from assistive
 * technology. Relative links, `mailto:`/`tel:` and links to the site's own hosts (the archive
 * among them) are never marked.
 */
export default function rehypeExternalLinks(options: ExternalLinksOptions) {
  const hosts = new Set(options.hosts.map((host) => host.toLowerCase()));
  return (tree: Root): void => {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'a' || !leavesSite(node.properties.href, hosts)) return;
      const hidden: Element = {
        type: 'element',
        tagName: 'span',
        properties: { className: ['visually-hidden'], dataPagefindIgnore: '' },
        children: [{ type: 'text', value: ` (${options.text})` }],
      };
      node.children.push(...(options.icon ? [icon()] : []), hidden);
    });
  };
}

function leavesSite(href: unknown, hosts: ReadonlySet<string>): boolean {
  if (typeof href !== 'string' || !/^https?:\/\//i.test(href)) return false;
  try {
    return !hosts.has(new URL(href).hostname.toLowerCase());
  } catch {
    return false; // malformed: `check` reports it (link-url)
  }
}

// An arrow leaving a box, drawn in the link's colour (so it follows dark mode and forced colours).
function icon(): ElementContent {
  return {
    type: 'element',
    tagName: 'svg',
    properties: {
      className: ['external-icon'],
      viewBox: '0 0 16 16',
      width: 12,
      height: 12,
      ariaHidden: 'true',
      focusable: 'false',
    },
    children: [
      {
        type: 'element',
        tagName: 'path',
        properties: {
          d: 'M9 2h5v5M14 2 7 9M12 9.5V13a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1h3.5',
          fill: 'none',
          stroke: 'currentColor',
          strokeWidth: '1.75',
          strokeLinecap: 'round',
          strokeLinejoin: 'round',
        },
        children: [],
      },
    ],
  };
}
