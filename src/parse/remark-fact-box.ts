import type { ContainerDirective } from 'mdast-util-directive';
import type { Heading, Paragraph, Root, RootContent } from 'mdast';
import { visit } from './visit.ts';
import type { VFile } from 'vfile';
import { report } from '../report/message.ts';

/** The directive name of a fact box: `:::fakta[Titel]` … `:::`. */
export const FACT_BOX = 'fakta';

/** Options: where the box is (its heading sits one level below the part's own), and the default title. */
export interface FactBoxOptions {
  mode: 'section' | 'intro';
  /** The heading of a box written without a title: "Fakta" (localised). */
  label: string;
}

/**
 * Turns `:::fakta[Titel]` … `:::` into a fact box: an `<aside class="fact-box">` whose first child
 * is a heading (the title, or the localised "Fakta"), one level below the section title. Other
 * directive names, a box without its closing `:::`, and `:::` lines that did not open a box get a
 * warning (rule `fact-box`); an unknown directive's content is kept as ordinary text.
 */
export default function remarkFactBox(options: FactBoxOptions) {
  const depth = options.mode === 'intro' ? 2 : 3;
  return (tree: Root, file: VFile): void => {
    visit(tree, 'containerDirective', (node, index, parent) => {
      if (node.name !== FACT_BOX) {
        report(file, `Unexpected \`:::${node.name}\` block, expected \`:::${FACT_BOX}\``, {
          ruleId: 'fact-box',
          severity: 'warning',
          place: node.position?.start,
          hint: `A fact box starts with \`:::${FACT_BOX}[Rubrik]\` and ends with \`:::\`; the text is shown as ordinary paragraphs.`,
        });
        if (parent && index !== undefined) parent.children.splice(index, 1, ...unwrap(node));
        return index;
      }
      if (!closed(node, file)) {
        report(file, 'Unexpected fact box without a closing `:::`, expected `:::` on a line of its own', {
          ruleId: 'fact-box',
          severity: 'warning',
          place: node.position?.start,
          hint: 'Without it the box runs to the end of the file; end the box’s text with a line `:::`.',
        });
      }
      const [first, ...rest] = node.children;
      const label = isLabel(first) ? first : undefined;
      const heading: Heading = {
        type: 'heading',
        depth,
        children: label ? label.children : [{ type: 'text', value: options.label }],
        ...(label?.position ? { position: label.position } : {}),
      };
      node.children = [heading, ...(label ? rest : node.children)];
      node.data = { hName: 'aside', hProperties: { className: ['fact-box'] } };
    });
    warnStrayFences(tree, file);
  };
}

// `::: fakta` (a space) or a `:::` that closes nothing is a paragraph: the box did not open.
function warnStrayFences(tree: Root, file: VFile): void {
  visit(tree, 'paragraph', (node) => {
    const head = node.children[0];
    if (head?.type !== 'text' || !head.value.startsWith(':::')) return;
    report(
      file,
      `Unexpected \`${head.value.split('\n')[0]}\`, expected \`:::${FACT_BOX}\` to start a fact box`,
      {
        ruleId: 'fact-box',
        severity: 'warning',
        place: node.position?.start,
        hint: `Write \`:::${FACT_BOX}\` or \`:::${FACT_BOX}[Rubrik]\` (no space after the colons) on a line of its own, and \`:::\` after the box’s text.`,
      },
    );
  });
}

function isLabel(node: RootContent | undefined): node is Paragraph {
  return node?.type === 'paragraph' && node.data?.directiveLabel === true;
}

// A directive is closed by a line of colons; an unclosed one runs to the end of its container.
function closed(node: ContainerDirective, file: VFile): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return true;
  const lines = String(file.value).slice(start, end).trimEnd().split('\n');
  return lines.length > 1 && /^\s*:{3,}\s*$/.test(lines.at(-1)!);
}

// An unknown directive's content as plain blocks: its label (if any) becomes a paragraph.
function unwrap(node: ContainerDirective): RootContent[] {
  return node.children.map((child) => {
    return isLabel(child) ? { type: 'paragraph', children: child.children, position: child.position } : child;
  });
}
