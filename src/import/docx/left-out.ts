import { quote, type Messages } from '../messages.ts';
import { all, ancestor, attr, parseXml, remove, textOf } from './xml.ts';

/*
 * What mammoth drops without a word, said out loud: comments, tracked changes (imported as
 * accepted), and text boxes and embedded parts, which are also removed from the document.
 */

/** Parts of a Word document that mammoth reads as nothing (or as an unusable preview image). */
const EMBEDS: [string, string][] = [
  ['w:object', 'Embedded object'],
  ['c:chart', 'Chart'],
  ['dgm:relIds', 'SmartArt graphic'],
  ['m:oMathPara', 'Equation'],
  ['m:oMath', 'Equation'],
  ['w:altChunk', 'Embedded document part'],
];

/** Removes the text boxes (mammoth drops them) and says so, with their text. */
export function removeTextBoxes(doc: Document, place: PlaceOf, messages: Messages): void {
  for (const box of all(doc, 'w:txbxContent')) {
    if (!attached(box, doc)) continue;
    messages.add(`Text box ${quote(textOf(box)) || '(empty)'} left out`, {
      ruleId: 'text-box',
      place: place(box),
      hint: 'Move its text into the document (or into a section of the issue by hand) if it is needed.',
    });
    remove(ancestor(box, 'w:r') ?? box);
  }
}

/** Removes embedded objects, charts, SmartArt and equations, which have no form in an issue. */
export function removeEmbeds(doc: Document, place: PlaceOf, messages: Messages): void {
  for (const [name, what] of EMBEDS) {
    for (const node of all(doc, name)) {
      if (!attached(node, doc)) continue;
      const progId = attr(all(node, 'o:OLEObject')[0], 'ProgID');
      messages.add(`${what}${progId ? ` (${progId})` : ''} left out: it has no form in an issue`, {
        ruleId: 'embedded',
        place: place(node),
        hint: 'Add it as an image with alt text, or as a table or text, if readers need it.',
      });
      remove(name === 'm:oMath' || name === 'w:altChunk' ? node : (ancestor(node, 'w:r') ?? node));
    }
  }
}

/** False for a node inside a part already removed (a text box in a text box, an equation in an object). */
function attached(node: Node, doc: Document): boolean {
  let current: Node | null = node;
  while (current.parentNode) current = current.parentNode;
  return current === doc;
}

/** The paragraph number of a node, for messages. */
export type PlaceOf = (node: Node) => { paragraph: number } | undefined;

/** Notes each comment as left out, with its text from `word/comments.xml`. */
export function comments(
  doc: Document,
  commentsXml: string | undefined,
  place: PlaceOf,
  messages: Messages,
): void {
  const texts = new Map<string, string>();
  if (commentsXml) {
    for (const comment of all(parseXml(commentsXml), 'w:comment'))
      texts.set(attr(comment, 'w:id') ?? '', textOf(comment));
  }
  for (const reference of all(doc, 'w:commentReference')) {
    const text = texts.get(attr(reference, 'w:id') ?? '') ?? '';
    messages.add(`Comment ${text ? quote(text, 80) : ''} left out`.replace('  ', ' '), {
      ruleId: 'comment',
      place: place(reference),
      hint: 'Comments are notes to the writer, not part of the text: act on it in the section file if needed.',
    });
  }
}

/** Notes the tracked changes of each paragraph: they are imported as accepted. */
export function trackedChanges(doc: Document, place: PlaceOf, messages: Messages): void {
  const byParagraph = new Map<number | undefined, { inserted: string[]; deleted: string[]; other: number }>();
  const entry = (node: Node) => {
    const key = place(node)?.paragraph;
    let value = byParagraph.get(key);
    if (!value) byParagraph.set(key, (value = { inserted: [], deleted: [], other: 0 }));
    return value;
  };
  for (const name of ['w:ins', 'w:moveTo'])
    for (const node of all(doc, name)) entry(node).inserted.push(textOf(node));
  for (const name of ['w:del', 'w:moveFrom'])
    for (const node of all(doc, name)) entry(node).deleted.push(textOf(node, 'w:delText') || textOf(node));
  for (const name of ['w:rPrChange', 'w:pPrChange']) for (const node of all(doc, name)) entry(node).other++;
  for (const [paragraph, change] of byParagraph) {
    const parts = [
      ...change.inserted.filter(Boolean).map((text) => `inserted ${quote(text, 40)}`),
      ...change.deleted.filter(Boolean).map((text) => `deleted ${quote(text, 40)}`),
      ...(change.other ? ['formatting changed'] : []),
    ];
    messages.add(`Tracked changes imported as accepted${parts.length ? `: ${parts.join(', ')}` : ''}`, {
      ruleId: 'tracked-change',
      place: paragraph ? { paragraph } : undefined,
      hint: 'Check the text: the import shows the document with every change accepted (deleted text left out).',
    });
  }
}
