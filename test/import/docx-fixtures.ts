/**
 * Word documents made by the tests themselves (with the `docx` package), shaped like what arrives
 * at the secretariat: a whole issue written in Word, and a member agency's contribution.
 */
import { crc32, deflateSync } from 'node:zlib';
import {
  AlignmentType,
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  DeletedTextRun,
  Document,
  EndnoteReferenceRun,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  Textbox,
  TextRun,
} from 'docx';

/** A solid-colour PNG of `width` × `height` pixels: a real image, a few dozen bytes. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The diagram of the Word issue. */
export const DIAGRAM = png(12, 8, [40, 90, 140]);
/** The photo of the contribution. */
export const PHOTO = png(10, 10, [180, 60, 40]);

const CHANGE = { author: 'Redaktör', date: '2024-04-10T09:00:00Z' };
const numbering = {
  config: [
    {
      reference: 'punkter',
      levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT }],
    },
    {
      reference: 'nummer',
      levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }],
    },
  ],
};
const bullet = (text: string) => new Paragraph({ text, numbering: { reference: 'punkter', level: 0 } });
const numbered = (text: string) => new Paragraph({ text, numbering: { reference: 'nummer', level: 0 } });
const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

/**
 * A whole issue written in Word: a "Title" paragraph, the month as subtitle, the editorial with a
 * signature, three chapters (Rubrik 1) with sub-headings, lists, a table, a link, a footnote, an
 * endnote, an image with alt text — and what cannot be mapped: a comment, tracked changes, a
 * coloured and underlined phrase, a text box.
 */
export async function wordIssue(): Promise<Buffer> {
  const doc = new Document({
    title: 'Nyhetsbrev april 2024',
    creator: 'Kansliet',
    numbering,
    styles: {
      paragraphStyles: [{ id: 'Subtitle', name: 'Subtitle', basedOn: 'Normal', run: { italics: true } }],
    },
    comments: {
      children: [
        {
          id: 0,
          author: 'Redaktör',
          date: new Date('2024-04-10T09:00:00Z'),
          children: [new Paragraph('Stämmer siffran för 2024?')],
        },
      ],
    },
    footnotes: { 1: { children: [new Paragraph('Riksarkivets föreskrifter om e-arkiv, RA-FS 2009:1.')] } },
    endnotes: { 1: { children: [new Paragraph('Anmälan öppnar den 2 maj.')] } },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Digitalt först – men inte bara digitalt', heading: HeadingLevel.TITLE }),
          new Paragraph({ text: 'Nyhetsbrev april 2024', style: 'Subtitle' }),
          new Paragraph({
            children: [
              new TextRun('Våren är här och med den en rad nya '),
              new TextRun({ text: 'vägledningar', bold: true }),
              new TextRun(' från nätverkets arbetsgrupper. Vi har också fått '),
              new TextRun({ text: 'rekordmånga', italics: true }),
              new TextRun(' anmälningar till vårens forum.'),
            ],
          }),
          new Paragraph('Tack till alla som har bidragit till det här numret.'),
          new Paragraph({
            children: [
              new TextRun('Vänliga hälsningar'),
              new TextRun({ text: 'Karin Lindqvist, kanslichef', break: 1 }),
            ],
          }),
          new Paragraph({ text: 'Ny vägledning om e-arkiv', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun(
                'Arbetsgruppen för e-arkiv har tagit fram en vägledning som bygger på Riksarkivets föreskrifter.',
              ),
              new FootnoteReferenceRun(1),
              new TextRun(' Läs den på '),
              new ExternalHyperlink({
                link: 'https://natverket.example.org/vagledning/e-arkiv/',
                children: [new TextRun({ text: 'nätverkets webbplats', style: 'Hyperlink' })],
              }),
              new TextRun('.'),
            ],
          }),
          new Paragraph({ text: 'Så kommer du igång', heading: HeadingLevel.HEADING_2 }),
          numbered('Inventera era system.'),
          numbered('Välj format för bevarande.'),
          numbered('Planera leveransen till e-arkivet.'),
          new Paragraph({ text: 'Nätverket i siffror', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('Antalet medlemmar fortsätter att öka. '),
              new CommentRangeStart(0),
              new TextRun({ text: 'I år är vi 62 myndigheter', color: 'C00000', underline: {} }),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
              new TextRun('.'),
            ],
          }),
          new Table({
            rows: [
              new TableRow({ tableHeader: true, children: [cell('År'), cell('Myndigheter')] }),
              new TableRow({ children: [cell('2023'), cell('59')] }),
              new TableRow({ children: [cell('2024'), cell('62')] }),
            ],
          }),
          new Paragraph({
            children: [
              new ImageRun({
                type: 'png',
                data: DIAGRAM,
                transformation: { width: 120, height: 80 },
                altText: {
                  name: 'Diagram',
                  description: 'Stapeldiagram över antalet medlemsmyndigheter 2023 och 2024',
                  title: '',
                },
              }),
            ],
          }),
          new Paragraph({
            children: [
              new TextRun('Forumen träffas '),
              new DeletedTextRun({ text: 'fyra', id: 1, ...CHANGE }),
              new InsertedTextRun({ text: 'sex', id: 2, ...CHANGE }),
              new TextRun(' gånger om året.'),
            ],
          }),
          new Paragraph({ text: 'Kalendarium', heading: HeadingLevel.HEADING_1 }),
          bullet('7 maj: forumet för arkiv och informationsförvaltning, Stockholm'),
          new Paragraph({
            children: [new TextRun('21 maj: temamöte om klarspråk, digitalt'), new EndnoteReferenceRun(1)],
            numbering: { reference: 'punkter', level: 0 },
          }),
          bullet('30 maj: nyhetsbrevet för maj kommer ut'),
          new Paragraph({
            children: [
              new TextRun('Fler datum finns i kalendern.'),
              new Textbox({
                style: { width: '2in', height: '1in' },
                children: [new Paragraph('Tips: prenumerera på kalendern!')],
              }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * A member agency's contribution: a "Title" paragraph naming it, a short lead, two sub-headings
 * (Rubrik 1), a bulleted list, and a photo whose alt text nobody wrote.
 */
export async function wordContribution(): Promise<Buffer> {
  const doc = new Document({
    title: 'Bidrag till nyhetsbrevet',
    numbering,
    sections: [
      {
        children: [
          new Paragraph({ text: 'Nytt från Skatteverket', heading: HeadingLevel.TITLE }),
          new Paragraph('Skatteverket har under våren öppnat två nya e-tjänster för myndigheter.'),
          new Paragraph({ text: 'Registerutdrag direkt i handläggningen', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({
            children: [
              new TextRun('Handläggare kan nu hämta '),
              new TextRun({ text: 'folkbokföringsuppgifter', bold: true }),
              new TextRun(' utan att lämna sitt ärendesystem.'),
            ],
          }),
          new Paragraph({
            children: [
              new ImageRun({ type: 'png', data: PHOTO, transformation: { width: 100, height: 100 } }),
            ],
          }),
          new Paragraph({ text: 'Så ansluter ni er', heading: HeadingLevel.HEADING_1 }),
          bullet('Teckna avtal om direktåtkomst.'),
          bullet('Beställ certifikat för e-tjänsten.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
