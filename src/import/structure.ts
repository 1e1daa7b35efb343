import type { Heading, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Position } from 'unist';
import { dateIn, isDateLine, isLabelLine } from './dates.ts';
import type { Messages } from './messages.ts';

/** One section of the imported issue: its title and its blocks, sub-headings as `##`, `###`, … */
export interface PlannedSection {
  title: string;
  place: Position | undefined;
  blocks: RootContent[];
}

/** A document cut into the parts of the issue format. */
export interface DocumentParts {
  /** The lone top heading taken as the issue title, when there was one (issue mode). */
  title: { text: string; place: Position | undefined } | undefined;
  /** What stands before the first section heading: the editorial (issue mode). */
  intro: RootContent[];
  sections: PlannedSection[];
  /** A publication date stated on a line of its own before the first section ("Publicerat 30 mars 2023"). */
  dateLine: { value: string; place: Position | undefined } | undefined;
  /** Lines that were only a month label ("Nyhetsbrev mars 2023"), for the date. */
  labels: { text: string; place: Position | undefined }[];
}

/**
 * Cuts a document into title, editorial and sections: one section per top-level heading. In issue
 * mode (`takeTitle`), a first heading that is the only one of the highest level is the issue's
 * title (a page's `h1`), and the next level down makes the sections. Headings inside a section
 * become `##`, `###`, … by their rank, never skipping a level. Lines before the first section that
 * only repeat the month label or the publication date are left out (the pipeline prints both from
 * `date:`), with a note.
 */
export function splitDocument(tree: Root, takeTitle: boolean, messages: Messages): DocumentParts {
  let children = tree.children.flatMap((node) => (node.type === 'yaml' ? [] : [untitled(node, messages)]));
  const headings = children.filter((node): node is Heading => node.type === 'heading');
  let title: DocumentParts['title'];
  const top = Math.min(...headings.map((heading) => heading.depth));
  const lone = headings[0];
  if (takeTitle && lone && lone.depth === top && headings.filter((h) => h.depth === top).length === 1) {
    title = { text: plain(lone), place: lone.position };
    children = children.filter((node) => node !== lone);
  }
  const rest = children.filter((node): node is Heading => node.type === 'heading');
  const level = rest.length > 0 ? Math.min(...rest.map((heading) => heading.depth)) : 7;
  const first = children.findIndex((node) => node.type === 'heading' && node.depth === level);
  const before = first === -1 ? children : children.slice(0, first);
  const { blocks: intro, dateLine, labels } = dropDerivedLines(before, messages);
  const sections: PlannedSection[] = [];
  for (const node of first === -1 ? [] : children.slice(first)) {
    if (node.type === 'heading' && node.depth === level) {
      sections.push({ title: plain(node), place: node.position, blocks: [] });
      reportHeadingExtras(node, messages);
    } else {
      sections.at(-1)!.blocks.push(node);
    }
  }
  for (const section of sections) rankHeadings(section.blocks, level + 1, 2, messages);
  rankHeadings(
    intro,
    Math.min(7, ...intro.flatMap((n) => (n.type === 'heading' ? [n.depth] : []))),
    2,
    messages,
  );
  return { title, intro, sections, dateLine, labels };
}

/** A heading without text (only an image, say) cannot title anything: it is kept as a paragraph. */
function untitled(node: RootContent, messages: Messages): RootContent {
  if (node.type !== 'heading' || plain(node) !== '') return node;
  if (node.children.length > 0) {
    messages.add('A heading without text was kept as a paragraph', {
      ruleId: 'heading',
      severity: 'info',
      place: node.position,
    });
  }
  return { type: 'paragraph', children: node.children, ...(node.position && { position: node.position }) };
}

/** Plain text of a heading, spaces collapsed. */
export function plain(node: RootContent): string {
  return toString(node, { includeImageAlt: false }).replace(/\s+/g, ' ').trim();
}

function dropDerivedLines(blocks: RootContent[], messages: Messages) {
  let dateLine: DocumentParts['dateLine'];
  const labels: DocumentParts['labels'] = [];
  const kept = blocks.filter((node) => {
    if (node.type !== 'paragraph') return true;
    const text = plain(node);
    if (isLabelLine(text)) {
      labels.push({ text, place: node.position });
      messages.add(`Left out the line "${text}": the month label is printed from \`date:\``, {
        ruleId: 'derived',
        severity: 'info',
        place: node.position,
      });
      return false;
    }
    const value = isDateLine(text) ? dateIn(text) : undefined;
    if (!value) return true;
    dateLine ??= { value, place: node.position };
    messages.add(`Left out the line "${text}": the publication date is printed from \`date:\``, {
      ruleId: 'derived',
      severity: 'info',
      place: node.position,
    });
    return false;
  });
  return { blocks: kept, dateLine, labels };
}

/**
 * Gives the headings in `blocks` Markdown depths from `start` on by rank: `from` (the first level
 * below the section's) becomes `start`, and a heading never goes more than one level below the one
 * before it, so `check`'s heading order holds. Depth stops at 6.
 */
function rankHeadings(blocks: RootContent[], from: number, start: number, messages: Messages): void {
  let previous = start - 1;
  for (const node of blocks) {
    if (node.type !== 'heading') continue;
    const wanted = Math.min(6, start + node.depth - from);
    const depth = Math.min(wanted, previous + 1, 6) as Heading['depth'];
    if (depth < wanted) {
      messages.add(`Heading "${plain(node)}" skips a level; imported one level up`, {
        ruleId: 'heading',
        severity: 'info',
        place: node.position,
      });
    }
    node.depth = depth;
    previous = depth;
  }
}

function reportHeadingExtras(heading: Heading, messages: Messages): void {
  const extras = heading.children.filter((child) => child.type === 'link' || child.type === 'image');
  if (extras.length === 0) return;
  messages.add(`Section title "${plain(heading)}" held a link or an image; only its text was kept`, {
    ruleId: 'heading',
    place: heading.position,
    hint: 'Put the link or image in the section text if it is needed.',
  });
}
