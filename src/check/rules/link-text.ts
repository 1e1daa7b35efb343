import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { report } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

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
  severity: ['warning'],
  examples: [
    {
      name: 'link texts that name the target',
      files: {
        '01-lankar.md': lines(
          '# Länkar',
          '',
          '[Läs vägledningen om e-arkiv](https://natverket.example.org/v).',
        ),
      },
    },
    {
      name: 'vague link texts, with and without decoration',
      files: {
        '01-lankar.md': lines(
          '# Länkar',
          '',
          'Vägledningen finns nu. [Klicka här](https://natverket.example.org/v) för att läsa den.',
          '',
          'Programmet är klart, [läs mer »](https://natverket.example.org/p).',
        ),
      },
      messages: [
        '01-lankar.md:3:24 warning Unexpected vague link text “Klicka här”, expected a text that says where the link goes',
        '01-lankar.md:5:22 warning Unexpected vague link text “läs mer »”, expected a text that says where the link goes',
      ],
    },
  ],
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
