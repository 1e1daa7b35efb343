import type { Point } from 'unist';
import type { VFile } from 'vfile';

/**
 * The place of a front matter value (`key: value` → the value's first character), found in the
 * source of `file`. Front matter is plain `key: value` lines, as the schema in parse expects.
 * Undefined when the file has no front matter or no such key.
 */
export function frontMatterValuePlace(file: VFile, key: string): Point | undefined {
  const lines = String(file.value).split('\n');
  if (lines[0]?.trim() !== '---') return undefined;
  const pattern = new RegExp(`^${key}\\s*:\\s*`);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '---') return undefined;
    const match = pattern.exec(line);
    if (match) return { line: index + 1, column: match[0].length + 1 };
  }
  return undefined;
}

/**
 * Where a section's title is written: its front matter `title:` value, else its first `#` line.
 * (remark-section-title removes the heading from the tree, so the source is searched.)
 */
export function sectionTitlePlace(file: VFile): Point | undefined {
  const fromFrontMatter = frontMatterValuePlace(file, 'title');
  if (fromFrontMatter) return fromFrontMatter;
  const lines = String(file.value).split('\n');
  const start = frontMatterEnd(lines);
  const index = lines.findIndex((line, at) => at >= start && /^ {0,3}#(?:\s|$)/.test(line));
  return index === -1 ? undefined : { line: index + 1, column: lines[index]!.indexOf('#') + 1 };
}

/** Index of the first line after the front matter (0 when there is none). */
function frontMatterEnd(lines: string[]): number {
  if (lines[0]?.trim() !== '---') return 0;
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  return close === -1 ? 0 : close + 1;
}
