import type { Element } from 'hast';
import { toText } from 'hast-util-to-text';

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

/** Sharing buttons, breadcrumbs, tag lists and pagers inside an article, known by their class or id. */
const FURNITURE_NAMES =
  /^(?:share|sharing|social|social-?links|some|dela|breadcrumbs?|brodsmulor|print|utskrift|tags|taggar|pager|pagination|related|relaterat|cookie[-\w]*|skip-?links?)$/i;

export function furnitureByName(node: Element): boolean {
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
