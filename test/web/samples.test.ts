import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokenLinks, headingProblems, htmlProblems, parse } from './checks.ts';
import { buildSamples, filesUnder, SAMPLE_IDS, webConfig } from './site.ts';

describe.skipIf(SAMPLE_IDS.length === 0)('the sample issues (issues/) as a web archive', () => {
  let site: string;
  let pages: string[];

  beforeAll(async () => {
    site = join(await buildSamples(), 'web');
    pages = filesUnder(site, '.html');
  });

  it('has a page per sample issue', () => {
    for (const id of SAMPLE_IDS) expect(pages).toContain(`${id}/index.html`);
  });

  it('passes html-validate, resolves every internal link and keeps the heading outline on every page', async () => {
    for (const path of pages) {
      expect(await htmlProblems(site, path)).toEqual([]);
      expect(brokenLinks(site, path, webConfig().baseUrl)).toEqual([]);
      expect(headingProblems(parse(site, path)), path).toEqual([]);
    }
  });
});
