import type { Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { pointAt, report } from '../../report/message.ts';
import { lines, type Rule } from '../rule.ts';

/** A footnote call as written, not preceded by a backslash: `[^1]`, `[^källa]`. */
const CALL = /(?<!\\)\[\^([^\]\s]+)\]/g;

/**
 * `footnote`: every `[^x]` has a definition in the same file, and every definition is used.
 * remark-gfm leaves a call without a definition as plain text — the reader would see "[^x]" —
 * so undefined calls are found as that literal pattern in text nodes. An unused definition is
 * dropped from the output, which loses what the editor wrote.
 */
export const footnote: Rule = {
  id: 'footnote',
  description: 'footnote references are defined; definitions are used',
  severity: ['error', 'warning'],
  examples: [
    {
      name: 'a footnote and its definition; `[^x]` in code',
      files: {
        '01-fotnoter.md': lines(
          '# Fotnoter',
          '',
          'Nätverket har 42 medlemmar.[^1] Exemplet `[^x]` i kod är ingen fotnot.',
          '',
          '[^1]: Enligt medlemsregistret.',
        ),
      },
    },
    {
      name: 'a reference without a definition, and a definition nothing refers to',
      files: {
        '01-fotnoter.md': lines(
          '# Fotnoter',
          '',
          'Nätverket har 42 medlemmar.[^1] Siffran gäller i mars.[^saknas]',
          '',
          '[^1]: Enligt medlemsregistret.',
          '[^2]: Den här fotnoten används inte.',
        ),
      },
      messages: [
        '01-fotnoter.md:3:55 error Unexpected footnote reference `[^saknas]` without a definition, expected a line `[^saknas]: …`',
        '01-fotnoter.md:6:1 warning Unexpected unused footnote definition `[^2]`, expected a reference to it in the text',
      ],
    },
  ],
  check({ bodies }) {
    for (const { file, tree } of bodies) {
      undefinedCalls(tree, file);
      unusedDefinitions(tree, file);
    }
  },
};

function undefinedCalls(tree: Root, file: VFile): void {
  const source = String(file.value);
  visit(tree, 'text', (node: Text) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined || !node.value.includes('[^')) return;
    for (const match of source.slice(start, end).matchAll(CALL)) {
      report(
        file,
        `Unexpected footnote reference \`${match[0]}\` without a definition, expected a line \`${match[0]}: …\``,
        {
          ruleId: 'footnote',
          place: pointAt(source, start + match.index),
          hint: `Add the footnote text at the end of this file, on its own line: \`${match[0]}: Källa eller förklaring.\` Footnotes belong to the file they are used in.`,
        },
      );
    }
  });
}

function unusedDefinitions(tree: Root, file: VFile): void {
  const used = new Set<string>();
  visit(tree, 'footnoteReference', (node) => {
    used.add(node.identifier);
  });
  visit(tree, 'footnoteDefinition', (node) => {
    if (used.has(node.identifier)) return;
    report(
      file,
      `Unexpected unused footnote definition \`[^${node.label ?? node.identifier}]\`, expected a reference to it in the text`,
      {
        ruleId: 'footnote',
        severity: 'warning',
        place: node.position,
        hint: `Put \`[^${node.label ?? node.identifier}]\` after the sentence it belongs to, or delete the definition (it is left out of the issue).`,
      },
    );
  });
}
