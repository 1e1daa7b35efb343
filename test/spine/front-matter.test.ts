import { describe, expect, it } from 'vitest';
import { issueFrontMatter } from '../../src/parse/front-matter.ts';

describe('issue front matter', () => {
  it.each([
    ['2025-02-27', '2025-02-27'],
    ['2025-02-27T10:00:00', '2025-02-27'],
    ['2025-02-27 10:00', '2025-02-27'],
    ['2025-02-27T10:00:00+01:00', '2025-02-27'],
  ])('accepts the date %s as the publication day %s', (date, day) => {
    const result = issueFrontMatter.safeParse({ title: 'T', date });
    expect(result.success && result.data.date).toBe(day);
  });

  it.each(['31 mars', '2025-02-30', '2025-2-3', '2025-02-27T25'])('rejects the date %s', (date) => {
    expect(issueFrontMatter.safeParse({ title: 'T', date }).success).toBe(false);
  });

  it('defaults status to ready', () => {
    const result = issueFrontMatter.safeParse({ title: 'T', date: '2025-01-30' });
    expect(result.success && result.data.status).toBe('ready');
  });
});
