import type { Root } from 'mdast';
import { isScalar, Scalar } from 'yaml';
import { frontMatterYaml } from './front-matter.ts';

/**
 * The `editor:` signature as lines joined by `\n`, the way an editor writes several lines:
 *
 * - a YAML block, `editor: |` with one indented line per line;
 * - indented continuation lines under `editor: Fredrik Beijer` (YAML would fold them into one
 *   line, but a signature broken over lines is meant as lines);
 * - ` / ` between lines on one line: `Fredrik Beijer / Biträdande direktör / Migrationsverket`
 *   (a slash without spaces, as in "it/informationssäkerhet", stays).
 *
 * `value` is the validated value; the front matter's YAML document gives the lines of a plain
 * value, which the parsed value no longer has.
 */
export function editorSignature(tree: Root, value: string): string {
  const lines = asWritten(tree) ?? value.split('\n');
  return lines
    .flatMap((line) => line.split(/\s+\/\s+/))
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
}

function asWritten(tree: Root): string[] | undefined {
  const first = tree.children[0];
  if (first?.type !== 'yaml') return undefined;
  const node: unknown = frontMatterYaml(first).doc.get('editor', true);
  if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return undefined;
  return first.value.slice(node.range[0], node.range[1]).split('\n');
}
