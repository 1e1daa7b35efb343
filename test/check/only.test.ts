import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIssue, issueIds } from '../../src/check/index.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { messagesAsJson } from '../../src/report/reporter.ts';
import { ALL_ARCHIVES, testConfig } from '../support/spine.ts';

const ARCHIVES = ALL_ARCHIVES;

describe('check of some issues: the rest of the archive as summaries', () => {
  it('gives, for every issue of every fixture archive, the messages and renders of a whole-archive load', async () => {
    const config = testConfig();
    let compared = 0;
    for (const dir of ARCHIVES) {
      const whole = await loadArchive(dir, config);
      for (const id of issueIds(whole)) {
        const expected = await checkIssue(whole, id, config);
        const some = await loadArchive(dir, config, { only: [id] });
        expect(some.issues.map((issue) => issue.id)).toEqual(
          whole.issues.some((i) => i.id === id) ? [id] : [],
        );
        const actual = await checkIssue(some, id, config);
        const where = `${dir} ${id}`;
        expect(messagesAsJson(actual.files), where).toEqual(messagesAsJson(expected.files));
        expect(actual.built?.email, where).toEqual(expected.built?.email);
        expect(actual.built?.web, where).toEqual(expected.built?.web);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('summarises the other issues only: their section files are neither parsed nor reported', async () => {
    const config = testConfig();
    const dir = resolve('issues');
    const [first, ...rest] = issueIds(await loadArchive(dir, config));
    const some = await loadArchive(dir, config, { only: [first!] });
    expect(some.others?.map((issue) => issue.id)).toEqual(rest);
    expect(new Set(some.files.map((file) => file.dirname))).toEqual(new Set([join(dir, first!)]));
  });
});
