import { isNode, type parseDocument } from 'yaml';
import type { z } from 'zod';

/**
 * One zod issue of a YAML document as `  file:line:col key: message`, at the offending value, or
 * at its parent when the value is missing. Shared by `nyhetsbrev.yml` and a theme's `theme.yml`.
 */
export function describeIssue(
  issue: z.core.$ZodIssue,
  doc: ReturnType<typeof parseDocument>,
  where: (offset: number) => string,
  path: string,
): string {
  const key = issue.path.join('.') || '(top level)';
  // Point at the deepest node that exists: the offending value, or its parent when it is missing.
  let place = `${path}:1:1`;
  for (let depth = issue.path.length; depth >= 0; depth--) {
    const node: unknown = doc.getIn(issue.path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) {
      place = where(node.range[0]);
      break;
    }
  }
  const message =
    issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined)
      ? 'is required but missing'
      : issue.message;
  return `  ${place} ${key}: ${message}`;
}
