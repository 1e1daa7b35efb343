import type { Element, ElementContent } from 'hast';
import { toText } from 'hast-util-to-text';
import { quote, type Messages } from '../messages.ts';
import { furnitureByName, isHidden } from './furniture.ts';

/** Elements left out without a word: no content a reader sees. */
const SILENT = new Set(
  'script style noscript template link meta base title head source track wbr col colgroup param'.split(' '),
);
/** Page furniture left out with a note. */
const FURNITURE = new Set('nav form button input select textarea dialog menu'.split(' '));
/** Content that has no place in an issue: left out with a warning naming it. */
const EMBEDS = new Set(
  'iframe object embed video audio canvas svg math applet map frame frameset portal'.split(' '),
);

/**
 * True when an element is left out of the issue: silently (scripts, styles), with a note (hidden
 * text, page furniture) or with a warning naming it (embedded content).
 */
export function leftOut(node: Element, messages: Messages): boolean {
  const tag = node.tagName;
  const at = node.position?.start;
  if (SILENT.has(tag)) return true;
  if (isHidden(node)) {
    const text = toText(node).trim();
    if (text)
      messages.add(`Hidden text ${quote(text)} was left out`, {
        ruleId: 'left-out',
        severity: 'info',
        place: at,
        repeatKey: 'hidden',
      });
    return true;
  }
  if (FURNITURE.has(tag) || furnitureByName(node)) {
    const text = toText(node).trim();
    messages.add(`Left out a <${tag}>${text ? ` (${quote(text, 40)})` : ''}: page furniture, not content`, {
      ruleId: 'left-out',
      severity: 'info',
      place: at,
      repeatKey: `furniture-${tag}`,
    });
    return true;
  }
  if (!EMBEDS.has(tag)) return false;
  reportEmbed(node, messages);
  return true;
}

/** Reports an aside of links (related pages, say) as left out; returns nothing to keep. */
export function leftOutLinkList(node: Element, messages: Messages): ElementContent[] {
  messages.add(
    `Left out a <${node.tagName}> of links (${quote(toText(node), 40)}): page furniture, not content`,
    {
      ruleId: 'left-out',
      severity: 'info',
      place: node.position?.start,
    },
  );
  return [];
}

function reportEmbed(node: Element, messages: Messages): void {
  const src = node.properties.src ?? node.properties.data ?? firstSource(node);
  const title = node.properties.title ?? node.properties.ariaLabel;
  const what = [src && `\`${String(src)}\``, title && quote(String(title))].filter(Boolean).join(' ');
  messages.add(`Embedded <${node.tagName}>${what ? ` ${what}` : ''} cannot be part of an issue; left out`, {
    ruleId: 'embedded',
    place: node.position?.start,
    hint: 'Link to it instead if readers need it: [Se filmen om temamötet](https://…).',
  });
}

function firstSource(node: Element): string | undefined {
  const source = node.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'source',
  );
  return source ? String(source.properties.src ?? '') : undefined;
}
