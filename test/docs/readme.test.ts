import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PARSE_RULES, RULES } from '../../src/check/index.ts';
import { README, regenerate } from '../../scripts/readme.ts';

describe('README.md', () => {
  const readme = readFileSync(README, 'utf8');

  it('holds the generated parts as the code makes them now (run `npm run readme` after changing them)', () => {
    expect(readme).toBe(regenerate(readme));
  });

  it('lists every check rule with its description and severities in the rule table', () => {
    for (const rule of [...PARSE_RULES, ...RULES]) {
      expect(readme).toContain(`| \`${rule.id}\` | ${rule.description} | ${rule.severity.join(' / ')} |`);
    }
  });
});
