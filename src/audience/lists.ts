import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

// `public: yes` is a string in YAML 1.2; accept it (and Swedish ja/nej) as the file's authors write it.
const yesNo = z.union(
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const where = (path: (string | number)[]): string => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node: unknown = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return `${file}:${line}:${col}`;
      }
    }
    return `${file}:1:1`;
  };
  const first = doc.errors[0];
  if (first) {
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new UserError(E.YamlInvalid, { reason: first.message }, { place: `${file}:${line}:${col}` });
  }
  const result = listsFileSchema.safeParse(doc.toJS() ?? {});
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path as (string | number)[];
      const missing = issue.code === 'invalid_type' && doc.getIn(path) === undefined;
      problems.push(
        `  ${where(path)} ${path.join('.') || '(top level)'}: ${missing ? 'is required but missing' : issue.message}`,
      );
    }
  } else {
    const seen = new Set<string>();
    result.data.lists.forEach((list, index) => {
      if (seen.has(list.id))
        problems.push(`  ${where(['lists', index, 'id'])} lists.${index}.id: "${list.id}" is used twice`);
      seen.add(list.id);
    });
    const fallback = result.data.lists.find((list) => list.id === result.data.default);
    if (!fallback)
      problems.push(
        `  ${where(['default'])} default: "${result.data.default}" is not the id of a list below`,
      );
    else if (!fallback.public)
      problems.push(`  ${where(['default'])} default: "${fallback.id}" must be a public list`);
  }
  if (problems.length > 0 || !result.success) {
    throw new UserError(E.ListsProblems, { file, problems });
  }
  return { ...result.data, file };
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
