import type { Rule } from '../rule.ts';
import { PARSE_RULES, RULES, type RuleDoc } from './index.ts';

/** Every rule `check` reports, as the docs list them: those of reading and parsing first. */
function allRules(rules: readonly RuleDoc[], parseRules: readonly RuleDoc[]): RuleDoc[] {
  const ids = new Set(parseRules.map((rule) => rule.id));
  return [...parseRules, ...rules.filter((rule) => !ids.has(rule.id))];
}

/** README's rule table (Markdown): id, what it checks, severity. */
export function rulesTable(rules: readonly Rule[] = RULES, parseRules = PARSE_RULES): string {
  const rows = allRules(rules, parseRules).map(
    (rule) => `| \`${rule.id}\` | ${rule.description} | ${rule.severity.join(' / ')} |`,
  );
  return ['| rule | checks | severity |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The rule list that `nyhetsbrev check --help` prints under the options. */
export function rulesHelp(rules: readonly Rule[] = RULES, parseRules = PARSE_RULES): string {
  const list = allRules(rules, parseRules);
  const width = Math.max(...list.map((rule) => rule.id.length)) + 2;
  const rows = list.map(
    (rule) => `  ${rule.id.padEnd(width)}${rule.description} (${rule.severity.join(' / ')})`,
  );
  return ['', 'Rules (each message ends with its rule id):', ...rows].join('\n');
}
