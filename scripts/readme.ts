/**
 * `npm run readme`: rewrites the parts of README.md that are made from the code, each between
 * `<!-- generated: NAME -->` and `<!-- end generated: NAME -->`. test/docs/readme.test.ts fails
 * when README.md and the code disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesTable } from '../src/check/rules/docs.ts';
import { errorsTable } from '../src/errors/docs.ts';

/** The generated parts of README.md by name, and what makes each. */
export const GENERATED: Readonly<Record<string, () => string>> = {
  'check-rules': () => rulesTable(),
  errors: () => errorsTable(),
};

/** README.md's path. */
export const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** `readme` with every generated part made anew; throws when a part's markers are missing. */
export function regenerate(readme: string): string {
  let text = readme;
  for (const [name, make] of Object.entries(GENERATED)) {
    const start = `<!-- generated: ${name} -->\n`;
    const end = `<!-- end generated: ${name} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end, from);
    if (from === -1 || to === -1) throw new Error(`README.md has no ${start.trim()} … ${end} part.`);
    text = `${text.slice(0, from + start.length)}${make()}\n${text.slice(to)}`;
  }
  return text;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const before = readFileSync(README, 'utf8');
  const after = regenerate(before);
  writeFileSync(README, after);
  process.stdout.write(after === before ? 'README.md is up to date.\n' : 'README.md regenerated.\n');
}
