import type { Element, ElementContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Messages } from '../messages.ts';

/** True for a block that is mostly links (a list of related pages, say). */
export function linkList(node: Element): boolean {
  const all = toText(node).replace(/\s+/g, '').length;
  let linked = 0;
  const walk = (parent: Element) => {
    for (const child of parent.children) {
      if (child.type !== 'element') continue;
      if (child.tagName === 'a') linked += toText(child).replace(/\s+/g, '').length;
      else walk(child);
    }
  };
  walk(node);
  return all === 0 || linked / all > 0.5;
}

/**
 * Sharing buttons, breadcrumbs, tag lists, pagers and back-to-top/contents links inside an
 * article, known by their class or id.
 */
const FURNITURE_NAMES =
  /^(?:share|sharing|social|social-?links|some|dela|breadcrumbs?|brodsmulor|print|utskrift|tags|taggar|pager|pagination|related|relaterat|cookie[-\w]*|skip-?links?|back-to-(?:toc|top|contents)|to-top|till-toppen)$/i;

/** A paragraph that is only a link back up the page ("Till innehållsförteckningen", "Till toppen"). */
const BACK_LINK =
  /^(?:tillbaka )?till (?:toppen|början|innehållet|innehållsförteckningen)$|^back to (?:top|contents)$/i;

/** True for page furniture: known by its class or id, or a paragraph that only links back up the page. */
export function furnitureByName(node: Element): boolean {
  if (node.tagName === 'p' && BACK_LINK.test(toText(node).trim())) {
    const links = node.children.filter((child) => child.type === 'element' && child.tagName === 'a');
    if (links.length === 1 && String((links[0] as Element).properties.href ?? '').startsWith('#'))
      return true;
  }
  const { className, id } = node.properties;
  const names = [
    ...(Array.isArray(className) ? className.map(String) : []),
    ...(typeof id === 'string' ? [id] : []),
  ];
  return names.some((name) => FURNITURE_NAMES.test(name) || /^(?:share|social|breadcrumb)[-_]/i.test(name));
}

/** Hidden from every reader: `hidden`, `aria-hidden`, `display: none`, screen-reader-only classes. */
export function isHidden(node: Element): boolean {
  const { hidden, ariaHidden, style, className } = node.properties;
  const classes = Array.isArray(className) ? className.map(String) : [];
  return (
    (hidden !== undefined && hidden !== false) ||
    ariaHidden === 'true' ||
    /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(String(style ?? '')) ||
    classes.some((name) => /^(?:sr-only|visually-hidden|screen-reader-text|hidden|skip-link)$/i.test(name))
  );
}

/** Headings of a page's own table of contents. */
const CONTENTS_TITLE = /^(?:innehåll|innehållsförteckning|i (?:detta|det här) nummer|i numret)$/i;

/**
 * Leaves out a page's own table of contents (the issue makes its own): a list whose every item is
 * only a link to a place in the page, and the heading right above it when it is named so.
 */
export function withoutContentsLists(children: ElementContent[], messages: Messages): ElementContent[] {
  const elements = children.filter((child): child is Element => child.type === 'element');
  const drop = new Set<ElementContent>();
  elements.forEach((node, index) => {
    if (!isContentsList(node)) return;
    drop.add(node);
    const before = elements[index - 1];
    if (before && /^h[1-6]$/.test(before.tagName) && CONTENTS_TITLE.test(toText(before).trim()))
      drop.add(before);
    messages.add('Left out the page’s table of contents: the issue makes its own', {
      ruleId: 'left-out',
      severity: 'info',
      place: node.position?.start,
    });
  });
  return drop.size === 0 ? children : children.filter((child) => !drop.has(child));
}

function isContentsList(node: Element): boolean {
  if (node.tagName !== 'ul' && node.tagName !== 'ol') return false;
  const items = node.children.filter((child): child is Element => child.type === 'element');
  return (
    items.length > 0 &&
    items.every((item) => {
      const content = item.children.filter(
        (child) => child.type === 'element' || (child.type === 'text' && child.value.trim()),
      );
      const link = content[0];
      return (
        content.length === 1 &&
        link?.type === 'element' &&
        link.tagName === 'a' &&
        String(link.properties.href ?? '').startsWith('#')
      );
    })
  );
}
