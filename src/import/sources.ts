import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { readDocxSource } from './docx/index.ts';
import { readHtmlSource } from './html/index.ts';
import { readMarkdownSource } from './markdown.ts';
import type { ImportedDocument } from './types.ts';

/**
 * Reads one source file by its kind (extension, else its first bytes): Word, HTML or Markdown.
 * Throws `SourceUnreadable` for a file that cannot be read or is none of these.
 */
export async function readSource(file: string): Promise<ImportedDocument> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(E.SourceUnreadable, { file, reason: error.code ?? 'error' }, { cause: error });
  });
  const kind = kindOf(file, bytes);
  if (kind === 'docx') return readDocxSource(file, bytes);
  if (kind === 'html') return readHtmlSource(file, bytes);
  if (kind === 'markdown') return readMarkdownSource(file, bytes);
  throw new UserError(E.SourceKindUnknown, { file, extension: extname(file) });
}

function kindOf(file: string, bytes: Uint8Array): 'docx' | 'html' | 'markdown' | undefined {
  const extension = extname(file).toLowerCase();
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (extension === '.docx' || (zip && extension !== '.md')) return zip ? 'docx' : undefined;
  if (['.html', '.htm', '.xhtml'].includes(extension)) return 'html';
  if (['.md', '.markdown', '.txt'].includes(extension)) return 'markdown';
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart().toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') ? 'html' : undefined;
}
