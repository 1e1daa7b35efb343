import type { FootnoteDefinition, Root, RootContent } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Messages } from './messages.ts';

/**
 * Takes every footnote definition out of `tree`, by identifier. The readers put them at the top
 * level (Word's footnotes and endnotes, a page's list of notes, Markdown's `[^x]:` lines).
 */
export function takeDefinitions(tree: Root): Map<string, FootnoteDefinition> {
  const definitions = new Map<string, FootnoteDefinition>();
  tree.children = tree.children.filter((node) => {
    if (node.type !== 'footnoteDefinition') return true;
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
    return false;
  });
  return definitions;
}

/**
 * Gives one part of the issue (the intro or a section: one file) its footnotes: references
 * renumbered 1, 2, … in reading order, their definitions appended at the end. Footnotes belong to
 * the file they are used in, so a note referred to from two sections is written into both.
 * A reference without a definition becomes the plain text `[x]`, with a message.
 */
export function attachFootnotes(
  blocks: RootContent[],
  definitions: ReadonlyMap<string, FootnoteDefinition>,
  used: Set<string>,
  messages: Messages,
): RootContent[] {
  const root: Root = { type: 'root', children: blocks };
  const numbers = new Map<string, string>();
  visit(root, 'footnoteReference', (node, index, parent) => {
    if (!definitions.has(node.identifier)) {
      messages.add(
        `Footnote reference [${node.label ?? node.identifier}] has no footnote text; kept as plain text`,
        {
          ruleId: 'footnote',
          place: node.position,
          hint: 'Add the footnote text by hand as `[^1]: …` at the end of the section, or delete the reference.',
        },
      );
      if (parent && index !== undefined)
        parent.children[index] = { type: 'text', value: `[${node.label ?? node.identifier}]` };
      return;
    }
    used.add(node.identifier);
    let number = numbers.get(node.identifier);
    if (!number) numbers.set(node.identifier, (number = String(numbers.size + 1)));
    node.identifier = number;
    node.label = number;
  });
  const notes = [...numbers].map(([identifier, number]): FootnoteDefinition => ({
    ...structuredClone(definitions.get(identifier)!),
    identifier: number,
    label: number,
  }));
  return [...blocks, ...notes];
}

/** Reports footnote texts that nothing refers to: they are left out (the output would drop them too). */
export function reportUnused(
  definitions: ReadonlyMap<string, FootnoteDefinition>,
  used: ReadonlySet<string>,
  messages: Messages,
): void {
  for (const [identifier, definition] of definitions) {
    if (used.has(identifier)) continue;
    messages.add(`Footnote [${definition.label ?? identifier}] is not referred to in the text; left out`, {
      ruleId: 'footnote',
      place: definition.position,
      hint: 'Add its text to the section by hand if it is needed.',
    });
  }
}
