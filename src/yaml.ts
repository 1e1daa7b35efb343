import { type Document, isNode, LineCounter, parseDocument, visit } from 'yaml';
import type * as z from 'zod';

/** A line and column, both 1-based, in the YAML text. */
export interface YamlPosition {
  line: number;
  column: number;
}

/** One schema problem, placed at the YAML node it is about. */
export interface YamlProblem {
  /** The key path, such as `transport.smtp.port` or `lists.2.id`; empty for the whole document. */
  key: string;
  /** Zod's message, or `is required but missing` when the key is absent. */
  message: string;
  /** True when the key is absent (or null where a value is expected). */
  missing: boolean;
  /** The offending value, or the deepest parent that exists when it is missing. */
  position: YamlPosition;
  /** True when `position` is the offending node itself rather than a parent. */
  exact: boolean;
}

/** YAML text parsed with positions: its syntax error, if any, and where each key path is. */
export interface ParsedYaml {
  doc: Document.Parsed;
  /** The first syntax error (its first line) and where it is; the document is unusable then. */
  error: ({ message: string } & YamlPosition) | undefined;
  /** The document as plain data (undefined with an error). */
  data: unknown;
  /** Line and column of a character offset in the text. */
  position: (offset: number) => YamlPosition;
}

/**
 * Parses YAML text keeping positions. Never throws: a syntax error is returned in `error`, and so
 * are aliases that would expand past yaml's limit (a "billion laughs"), at the first alias.
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const position = (offset: number): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const first = doc.errors[0];
  if (first) {
    const error = { message: first.message.split('\n')[0] ?? '', ...position(first.pos[0]) };
    return { doc, error, data: undefined, position };
  }
  try {
    return { doc, error: undefined, data: doc.toJS(), position };
  } catch (thrown) {
    const message = thrown instanceof Error ? thrown.message : String(thrown);
    return { doc, error: { message, ...firstAlias(doc, position) }, data: undefined, position };
  }
}

function firstAlias(doc: Document.Parsed, position: (offset: number) => YamlPosition): YamlPosition {
  let at: YamlPosition = { line: 1, column: 1 };
  visit(doc, {
    Alias(_key, node) {
      if (node.range) at = position(node.range[0]);
      return visit.BREAK;
    },
  });
  return at;
}

/**
 * Validates a parsed document against `schema`. Returns the output, or every problem at once,
 * each placed at its node (see {@link YamlProblem}).
 */
export function validateYaml<S extends z.ZodType>(
  yaml: ParsedYaml,
  schema: S,
): { success: true; data: z.output<S> } | { success: false; problems: YamlProblem[] } {
  const result = schema.safeParse(yaml.data ?? {}, { reportInput: true });
  if (result.success) return { success: true, data: result.data };
  return { success: false, problems: result.error.issues.map((issue) => placeIssue(yaml, issue)) };
}

/** Where the node at `path` is, or its deepest existing parent; line 1, column 1 when none is. */
export function locateYaml(
  yaml: ParsedYaml,
  path: readonly (string | number)[],
): YamlPosition & { exact: boolean } {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = yaml.doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return { ...yaml.position(node.range[0]), exact: depth === path.length };
  }
  return { line: 1, column: 1, exact: false };
}

/** `  file:line:col key: message`, the line each problem gets in a `ConfigInvalid` message. */
export function formatYamlProblem(
  file: string,
  problem: Pick<YamlProblem, 'key' | 'message' | 'position'>,
): string {
  const { line, column } = problem.position;
  return `  ${file}:${line}:${column} ${problem.key || '(top level)'}: ${problem.message}`;
}

function placeIssue(yaml: ParsedYaml, issue: z.core.$ZodIssue): YamlProblem {
  const path = issue.path as (string | number)[];
  const { exact, ...position } = locateYaml(yaml, path);
  // With reportInput, an issue carries the value it was about; none means the key is absent.
  const missing = issue.code === 'invalid_type' && !('input' in issue && issue.input !== undefined);
  return {
    key: path.join('.'),
    message: missing ? 'is required but missing' : issue.message,
    missing,
    position,
    exact,
  };
}
