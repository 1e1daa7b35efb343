import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { report } from '../../report/message.ts';
import type { Rule } from '../rule.ts';

/**
 * Link texts that say nothing about where the link goes. Screen reader users often list the links
 * of a page out of context (WCAG 2.4.4), and in email a descriptive link is what gets clicked.
 */
export const VAGUE_LINK_TEXTS = [
  'klicka här',
  'klicka',
  'här',
  'läs mer',
  'läs mer här',
  'mer',
  'mer info',
  'länk',
  'denna länk',
  'den här länken',
  'click here',
  'here',
  'read more',
  'more',
  'link',
];

/** Lowercase, single spaces, without decoration such as "»", "→", "…" or a trailing period. */
export function normaliseLinkText(text: string): string {
  return text
    .toLocaleLowerCase('sv')
    .replace(/\s+/g, ' ')
    .replace(/^[\s«‹<←>»›→.…:!-]+|[\s«‹<←>»›→.…:!-]+$/gu, '');
}

/** `link-text`: links say where they go ("Läs vägledningen om e-arkiv", not "läs mer"). */
export const linkText: Rule = {
  id: 'link-text',
  description: 'link texts say where the link goes (no "klicka här", "läs mer" alone)',
  check({ bodies }) {
    const vague = new Set(VAGUE_LINK_TEXTS);
    for (const { file, tree } of bodies) {
      visit(tree, ['link', 'linkReference'], (node) => {
        if (node.type !== 'link' && node.type !== 'linkReference') return;
        const text = toString(node).trim();
        if (!vague.has(normaliseLinkText(text))) return;
        report(file, `Unexpected vague link text “${text}”, expected a text that says where the link goes`, {
          ruleId: 'link-text',
          severity: 'warning',
          place: node.position,
          hint: 'Link the words that describe the target, e.g. [Läs vägledningen om e-arkiv](https://…), so the link makes sense on its own.',
        });
      });
    }
  },
};
