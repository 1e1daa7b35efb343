import { XMLSerializer } from '@xmldom/xmldom';
import { quote, type Messages } from '../messages.ts';
import { all, ancestor, attr, child, outermost, parseXml, textOf, W } from './xml.ts';
import { comments, removeEmbeds, removeTextBoxes, trackedChanges } from './left-out.ts';
import { marker } from './paragraphs.ts';

/** What the scan of a Word document's XML found, and the XML to hand to mammoth. */
export interface DocxScan {
  /** `word/document.xml` with a paragraph marker in each paragraph and the left-out parts removed. */
  documentXml: string;
  /** Paragraph numbers by paragraph style id. */
  paragraphsByStyle: Map<string, number[]>;
}

/**
 * Reads what mammoth drops without a word, from `word/document.xml` and `word/comments.xml`:
 * comments, tracked changes (mammoth shows the document as if they were accepted), text boxes,
 * embedded objects, charts, SmartArt and equations, and direct formatting (colour, highlighting,
 * underline). Each becomes a message at its paragraph number; text boxes and embedded parts are
 * removed, and every paragraph gets a marker so the HTML can be traced back to its paragraph.
 */
export function scanDocx(
  documentXml: string,
  commentsXml: string | undefined,
  stylesXml: string | undefined,
  messages: Messages,
): DocxScan {
  const doc = parseXml(documentXml);
  const paragraphs = all(doc, 'w:p');
  const numbers = new Map(paragraphs.map((p, index) => [p, index + 1]));
  const place = (node: Node) => {
    const paragraph = numbers.get(outermost(node, 'w:p')!);
    return paragraph ? { paragraph } : undefined;
  };
  comments(doc, commentsXml, place, messages);
  trackedChanges(doc, place, messages);
  removeTextBoxes(doc, place, messages);
  removeEmbeds(doc, place, messages);
  formatting(paragraphs, numbers, messages);
  tableOfContents(paragraphs, numbers, stylesXml, messages);
  const paragraphsByStyle = new Map<string, number[]>();
  for (const [p, number] of numbers) {
    const style = attr(child(child(p, 'w:pPr'), 'w:pStyle'), 'w:val');
    if (style) paragraphsByStyle.set(style, [...(paragraphsByStyle.get(style) ?? []), number]);
    addMarker(doc, p, number);
  }
  return { documentXml: new XMLSerializer().serializeToString(doc), paragraphsByStyle };
}

/** Direct formatting Markdown has no form for, one message per paragraph. */
function formatting(paragraphs: Element[], numbers: Map<Element, number>, messages: Messages): void {
  for (const p of paragraphs) {
    const found = new Map<string, string>();
    for (const run of Array.from(p.childNodes).flatMap((node) => runsIn(node))) {
      const properties = child(run, 'w:rPr');
      const text = textOf(run);
      if (!properties || !text.trim()) continue;
      const color = attr(child(properties, 'w:color'), 'w:val');
      if (color && !/^(?:auto|0{6})$/i.test(color))
        found.set('colour', `colour #${color} on ${quote(text, 30)}`);
      const highlight = attr(child(properties, 'w:highlight'), 'w:val');
      if (highlight && highlight !== 'none') found.set('highlight', `highlighting on ${quote(text, 30)}`);
      const fill = attr(child(properties, 'w:shd'), 'w:fill');
      if (fill && !/^(?:auto|f{6})$/i.test(fill)) found.set('shading', `shading on ${quote(text, 30)}`);
      const underline = attr(child(properties, 'w:u'), 'w:val');
      if (underline && underline !== 'none' && !ancestor(run, 'w:hyperlink'))
        found.set('underline', `underline on ${quote(text, 30)}`);
    }
    if (found.size === 0) continue;
    messages.add(`Formatting left out: ${[...found.values()].join('; ')}`, {
      ruleId: 'formatting',
      place: { paragraph: numbers.get(p)! },
      hint: 'Markdown has bold and italic, not colours or underline: use **bold** if the emphasis matters.',
      repeatKey: 'formatting',
    });
  }
}

/** Word's own table of contents (styles "toc 1"…, left out by the style map) gets one note. */
function tableOfContents(
  paragraphs: Element[],
  numbers: Map<Element, number>,
  stylesXml: string | undefined,
  messages: Messages,
): void {
  if (!stylesXml) return;
  const toc = new Set(
    all(parseXml(stylesXml), 'w:style')
      .filter((style) => /^(?:toc \d|toc heading)$/i.test(attr(child(style, 'w:name'), 'w:val') ?? ''))
      .map((style) => attr(style, 'w:styleId')),
  );
  const found = paragraphs.filter((p) => toc.has(attr(child(child(p, 'w:pPr'), 'w:pStyle'), 'w:val')));
  if (found.length === 0) return;
  messages.add(`Word's table of contents (${found.length} paragraphs) left out: the issue makes its own`, {
    ruleId: 'left-out',
    severity: 'info',
    place: { paragraph: numbers.get(found[0]!)! },
  });
}

/** The runs of a paragraph's child, through hyperlinks, insertions and smart tags (not nested paragraphs). */
function runsIn(node: Node): Element[] {
  if (node.nodeType !== 1) return [];
  const element = node as Element;
  if (element.tagName === 'w:r') return [element];
  if (element.tagName === 'w:p' || element.tagName === 'w:del') return [];
  return Array.from(element.childNodes).flatMap((inner) => runsIn(inner));
}

function addMarker(doc: Document, p: Element, number: number): void {
  const run = doc.createElementNS(W, 'w:r');
  const text = doc.createElementNS(W, 'w:t');
  text.setAttribute('xml:space', 'preserve');
  text.appendChild(doc.createTextNode(marker(number)));
  run.appendChild(text);
  const properties = child(p, 'w:pPr');
  p.insertBefore(run, properties ? properties.nextSibling : p.firstChild);
}
