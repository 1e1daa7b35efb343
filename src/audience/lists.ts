import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { formatYamlProblem, locateYaml, parseYaml, validateYaml, type ParsedYaml } from '../yaml.ts';

/**
 * A list's `public:` as the file's authors write it: `yes`/`no` (strings in YAML 1.2), Swedish
 * `ja`/`nej`, or `true`/`false`; output a boolean. The one reading of it, for `loadLists` and for
 * the web archive's subscribe page (`readPublicLists`).
 */
export const yesNo = z.union(
  [z.boolean(), z.enum(['yes', 'no', 'ja', 'nej']).transform((value) => value === 'yes' || value === 'ja')],
  { error: 'expected yes or no' },
);

const listSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,62}$/,
        'expected lowercase letters, digits and hyphens, such as forum-arkiv',
      ),
    name: z.string().trim().min(1, 'must not be empty'),
    description: z.string().trim().min(1, 'must not be empty'),
    public: yesNo,
  })
  .strict();

/** The schema of `subscribers/lists.yml` as written. */
export const listsFileSchema = z
  .object({
    /** Id of the public list that plain web subscribers join. */
    default: z.string().min(1),
    lists: z.array(listSchema).min(1),
  })
  .strict();

/** One forum (or the newsletter's own list). Reader-facing `name`/`description` are Swedish. */
export type ListDefinition = z.output<typeof listSchema>;

/** The validated lists file. */
export interface Lists {
  /** The default public list for plain subscribers. */
  default: string;
  lists: ListDefinition[];
  /** The file it came from (for messages). */
  file: string;
}

/**
 * Reads and validates `lists.yml`: schema problems, duplicate ids and a `default` that is not a
 * public list are all reported at once with `file:line:col`. Throws `ConfigInvalid` (a UserError).
 */
export function loadLists(file: string): Lists {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(E.ListsUnreadable, { file }, { cause: error });
  }
  return parseLists(text, file);
}

/** Parses lists text (from `file`, for messages). Throws `ConfigInvalid` listing every problem. */
export function parseLists(text: string, file: string): Lists {
  const yaml = parseYaml(text);
  if (yaml.error) {
    throw new UserError(
      E.YamlInvalid,
      { reason: yaml.error.message },
      { place: `${file}:${yaml.error.line}:${yaml.error.column}` },
    );
  }
  const result = validateYaml(yaml, listsFileSchema);
  const problems = result.success
    ? crossFieldProblems(yaml, result.data, file)
    : result.problems.map((problem) => formatYamlProblem(file, problem));
  if (problems.length > 0 || !result.success) {
    throw new UserError(E.ListsProblems, { file, problems });
  }
  return { ...result.data, file };
}

/** Duplicate ids, and a `default` that is not a public list, as problem lines. */
function crossFieldProblems(
  yaml: ParsedYaml,
  data: z.output<typeof listsFileSchema>,
  file: string,
): string[] {
  const problem = (path: (string | number)[], message: string) =>
    formatYamlProblem(file, { key: path.join('.'), message, position: locateYaml(yaml, path) });
  const problems: string[] = [];
  const seen = new Set<string>();
  data.lists.forEach((list, index) => {
    if (seen.has(list.id)) problems.push(problem(['lists', index, 'id'], `"${list.id}" is used twice`));
    seen.add(list.id);
  });
  const fallback = data.lists.find((list) => list.id === data.default);
  if (!fallback) problems.push(problem(['default'], `"${data.default}" is not the id of a list below`));
  else if (!fallback.public) problems.push(problem(['default'], `"${fallback.id}" must be a public list`));
  return problems;
}

/**
 * Checks list ids against the lists file and returns them. Throws `UnknownList` naming the
 * known ids when one is not defined.
 */
export function requireLists(lists: Lists, ids: readonly string[]): string[] {
  const known = lists.lists.map((list) => list.id);
  const unknown = ids.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new UserError(E.UnknownList, { unknown, known, file: lists.file });
  }
  return [...new Set(ids)];
}
