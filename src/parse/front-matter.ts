import type { Root, Yaml } from 'mdast';
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { isMap, isScalar } from 'yaml';
import * as z from 'zod';
import { report } from '../report/message.ts';
import { parseYaml, validateYaml, type ParsedYaml, type YamlPosition, type YamlProblem } from '../yaml.ts';

// A date, or a date with a time (archives exported from other tools often carry one): the
// publication day is what counts, so the time is dropped.
const DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

const isoDate = z
  .string({ message: 'expected a date as YYYY-MM-DD, such as 2023-03-31' })
  .trim()
  .regex(DATE, { message: 'expected a date as YYYY-MM-DD, such as 2023-03-31', abort: true })
  .transform((value) => value.slice(0, 10))
  .refine((value) => {
    const date = new Date(`${value}T12:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'expected a real calendar date');

const VALUE_HINTS: Record<string, string> = {
  date: 'Write the publication date as YYYY-MM-DD, for example `date: 2024-03-28`.',
  status: 'Use `status: draft` while writing and `status: ready` when the issue may be sent.',
  id: 'Use lowercase letters, digits and hyphens, for example `id: kalendarium`.',
};

/** Front matter of `issue.md` as written. */
export const issueFrontMatter = z.object({
  title: z
    .string({ message: 'expected the issue title as text' })
    .trim()
    .min(1, 'expected a non-empty title'),
  date: isoDate,
  editor: z.string().trim().min(1).optional(),
  subject: z.string().trim().min(1).optional(),
  preheader: z.string().trim().min(1).optional(),
  status: z.enum(['draft', 'ready'], { message: 'expected `draft` or `ready`' }).default('ready'),
});

/** Front matter of a section file as written. */
export const sectionFrontMatter = z.object({
  title: z.string().trim().min(1).optional(),
  summary: z.string().trim().min(1).optional(),
  id: z
    .string()
    .regex(/^[\p{Ll}\p{N}][\p{Ll}\p{N}_-]*$/u, 'expected a lowercase anchor such as `kalendarium`')
    .optional(),
});

/**
 * Validates the YAML front matter of `tree` against `schema`. Problems become messages at the
 * offending key's line (rule `front-matter`); returns the data, or undefined when invalid.
 */
export function readFrontMatter<S extends z.ZodObject>(
  file: VFile,
  tree: Root,
  schema: S,
): z.output<S> | undefined {
  const first = tree.children[0];
  const node: Yaml | undefined = first?.type === 'yaml' ? first : undefined;
  if (!node) {
    // Most sections have no front matter: nothing to parse when no key is required.
    const empty = schema.safeParse({});
    if (empty.success) return empty.data;
  }
  // The YAML text starts on the line after the opening `---`.
  const firstLine = (node?.position?.start.line ?? 0) + 1;
  const yaml = node ? frontMatterYaml(node) : parseYaml('');
  const at = ({ line, column }: YamlPosition) => ({ line: firstLine + line - 1, column });
  if (yaml.error) {
    report(file, `Unexpected invalid YAML in front matter: ${yaml.error.message}`, {
      ruleId: 'front-matter',
      place: at(yaml.error),
      hint: 'Check indentation and colons; quote values that contain `:` or `#`.',
    });
    return undefined;
  }
  const data: unknown = yaml.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    report(file, 'Unexpected front matter that is not a set of `key: value` lines', {
      ruleId: 'front-matter',
      place: node?.position?.start,
      hint: 'Write front matter as `key: value` lines between two `---` lines.',
    });
    return undefined;
  }
  warnUnknownKeys(file, yaml, schema, at, node);
  const result = validateYaml(yaml, schema);
  if (result.success) return result.data;
  reportProblems(file, result.problems, (problem) =>
    problem.exact ? at(problem.position) : (node?.position?.start ?? { line: 1, column: 1 }),
  );
  return undefined;
}

/** A message for each key that is missing or has a wrong value, at `placeOf` the problem. */
function reportProblems(
  file: VFile,
  problems: readonly YamlProblem[],
  placeOf: (problem: YamlProblem) => Point,
): void {
  for (const problem of problems) {
    const { key, message, missing } = problem;
    report(file, missing ? `Missing \`${key}\` in front matter` : `Unexpected \`${key}\`: ${message}`, {
      ruleId: 'front-matter',
      place: placeOf(problem),
      hint: missing
        ? `Add \`${key}:\` to the front matter between the \`---\` lines at the top of the file.`
        : (VALUE_HINTS[key] ?? `Fix the value of \`${key}\`.`),
    });
  }
}

const parsed = new WeakMap<Yaml, ParsedYaml>();

/** The front matter's YAML, parsed once per tree however often it is read (the editor's lines too). */
export function frontMatterYaml(node: Yaml): ParsedYaml {
  let yaml = parsed.get(node);
  if (!yaml) parsed.set(node, (yaml = parseYaml(node.value)));
  return yaml;
}

function warnUnknownKeys(
  file: VFile,
  yaml: ParsedYaml,
  schema: z.ZodObject,
  at: (position: YamlPosition) => YamlPosition,
  node: Yaml | undefined,
): void {
  const { doc } = yaml;
  if (!isMap(doc.contents)) return;
  const known = Object.keys(schema.shape);
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || known.includes(key)) continue;
    const range = isScalar(pair.key) ? pair.key.range : undefined;
    report(
      file,
      `Unexpected front matter key \`${key}\`, expected one of ${known.map((k) => `\`${k}\``).join(', ')}`,
      {
        ruleId: 'front-matter',
        severity: 'warning',
        place: range ? at(yaml.position(range[0])) : node?.position?.start,
        hint: 'Check the spelling; unknown keys are ignored.',
      },
    );
  }
}
