import type { Element, ElementContent } from 'hast';
import { toText } from 'hast-util-to-text';
import type { Point } from 'unist';
import { quote, type Messages } from '../messages.ts';

/**
 * A link with its (cleaned) content: links to places in the page are unwrapped (their anchors do
 * not survive), script links dropped, relative links made absolute against the page's address
 * when it states one (else kept, with a warning). Only `href` and `title` stay.
 */
export function link(
  node: Element,
  children: ElementContent[],
  messages: Messages,
  base: string | undefined,
): ElementContent[] {
  const href = typeof node.properties.href === 'string' ? node.properties.href.trim() : '';
  if (!href) return children;
  const at = node.position?.start;
  if (href.startsWith('#')) {
    messages.add(
      `Link to \`${href}\` in the page was unwrapped (its anchor does not survive); the text is kept`,
      {
        ruleId: 'link',
        severity: 'info',
        place: at,
        repeatKey: 'anchor-link',
      },
    );
    return children;
  }
  if (/^\s*(?:javascript|vbscript|data):/i.test(href)) {
    messages.add(`Script link on ${quote(toText(node))} left out; the text is kept`, {
      ruleId: 'link',
      place: at,
    });
    return children;
  }
  const url = absolute(href, base, messages, at);
  const title = node.properties.title;
  return [{ ...node, properties: { href: url, ...(title !== undefined && { title }) }, children }];
}

/** `href` made absolute against `base`; kept as it is, with a warning, when there is no base. */
function absolute(href: string, base: string | undefined, messages: Messages, at: Point | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  if (base) return new URL(href, base).href;
  messages.add(`Relative link \`${href}\` kept as it is: the page does not say its own address`, {
    ruleId: 'link',
    place: at,
    hint: 'Make it a full address (https://…) in the section file.',
    repeatKey: 'relative-link',
  });
  return href;
}
