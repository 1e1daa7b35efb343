import type { Paragraph, PhrasingContent, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';

/** A closing greeting that may stand above the signature; it stays in the text. */
const GREETING =
  /^(?:(?:med\s+)?(?:vänlig|vänliga|varma|bästa|många|hjärtliga)\s+hälsning(?:ar)?|hälsningar|mvh|vänligen|hälsar)[,!.]?$/iu;
/** A name part: "Karin", "Lind-Qvist", "K.", or a lowercase particle inside a name ("af", "von"). */
const NAME_PART = /^(?:\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*|\p{Lu}\.)$/u;
const PARTICLE = /^(?:af|av|von|van|de|der|den|la|le|da|di)$/u;

/** What {@link takeSignature} found: the `editor:` value and what remains of the intro. */
export interface Signature {
  editor: string;
  /** The intro blocks without the signature (a greeting above it stays). */
  blocks: RootContent[];
}

/**
 * Recognises a signature at the end of the editorial: its last paragraph, or the last lines of it
 * after a greeting ("Vänliga hälsningar"), holding a name of two to four capitalised words, maybe
 * after a dash or slash, and optionally a title after a comma or on the next line
 * ("Karin Lindqvist, kanslichef"). Never invents one: undefined when the end does not look so.
 */
export function takeSignature(blocks: readonly RootContent[]): Signature | undefined {
  const last = blocks.at(-1);
  if (last?.type !== 'paragraph') return undefined;
  const lines = splitLines(last);
  // The name is on one of the last two lines (a title may follow it on its own line).
  for (const nameIndex of [lines.length - 1, lines.length - 2]) {
    if (nameIndex < 0) continue;
    const before = lines.slice(0, nameIndex);
    if (before.length > 0 && !GREETING.test(text(before.at(-1)!))) continue;
    const editor = signatureOf(lines.slice(nameIndex).map(text));
    if (!editor) continue;
    const kept = before.length > 0 ? [{ ...last, children: joinLines(before) } satisfies Paragraph] : [];
    return { editor, blocks: [...blocks.slice(0, -1), ...kept] };
  }
  return undefined;
}

function signatureOf(lines: string[]): string | undefined {
  const [first = '', title] = lines;
  if (lines.length > 2) return undefined;
  const line = first.replace(/^[/–—-]\s*/u, '').trim();
  const [name = '', ...rest] = line.split(',');
  const role = [...rest.map((part) => part.trim()), ...(title ? [title.trim()] : [])].filter(Boolean);
  if (!isName(name.trim())) return undefined;
  if (role.some((part) => part.length > 80 || /[.!?:;]$/u.test(part) || /\d/u.test(part))) return undefined;
  return [name.trim(), ...role].join(', ');
}

function isName(text: string): boolean {
  const parts = text.split(/\s+/u);
  if (parts.length < 2 || parts.length > 5) return false;
  if (!NAME_PART.test(parts[0]!) || !NAME_PART.test(parts.at(-1)!)) return false;
  return parts.every((part) => NAME_PART.test(part) || PARTICLE.test(part));
}

function splitLines(paragraph: Paragraph): PhrasingContent[][] {
  const lines: PhrasingContent[][] = [[]];
  for (const child of paragraph.children) {
    if (child.type === 'break') lines.push([]);
    else lines.at(-1)!.push(child);
  }
  return lines.filter((line) => text(line) !== '');
}

function joinLines(lines: PhrasingContent[][]): PhrasingContent[] {
  return lines.flatMap((line, index) => (index === 0 ? line : [{ type: 'break' } as const, ...line]));
}

function text(line: PhrasingContent[]): string {
  return toString({ type: 'paragraph', children: line }).replace(/\s+/g, ' ').trim();
}
