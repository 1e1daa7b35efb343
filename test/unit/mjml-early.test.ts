import { afterEach, describe, expect, it } from 'vitest';
import { compileMjml, EMAIL_MJML_OPTIONS, validateMjml } from '../../src/render/mjml.ts';
import {
  bootMjmlThread,
  compileOnThread,
  loadMjmlEarly,
  stopMjmlThread,
} from '../../src/render/mjml-early.ts';
import { mjmlModulesFrom, strictErrors } from '../../src/render/mjml-modules.ts';
import { buildIssue, loadArchive } from '../../src/pipeline.ts';
import { testConfig } from '../support/spine.ts';

afterEach(() => stopMjmlThread());

const BROKEN =
  '<mjml><mj-body><mj-section><mj-text>Utan kolumn</mj-text><mj-column><mj-image /></mj-column></mj-section></mj-body></mjml>';

describe('MJML loaded early on a worker thread (check)', () => {
  it('compiles and validates as MJML in this thread does', async () => {
    const archive = await loadArchive('issues', testConfig());
    const { email } = await buildIssue(archive, archive.issues.at(-1)!.id, testConfig());
    const here = mjmlModulesFrom('bundle');
    loadMjmlEarly();
    for (const mjml of [email.mjml, BROKEN]) {
      const there = await compileOnThread(mjml, EMAIL_MJML_OPTIONS);
      const local = await here.mjml2html(mjml, EMAIL_MJML_OPTIONS);
      expect(there?.html).toBe(local.html);
      expect(there?.errors).toEqual(
        local.errors.map(({ line, message, tagName }) => ({ line, message, tagName })),
      );
      expect(there?.validation).toEqual(strictErrors(here, mjml));
    }
    // compileMjml takes the thread's answer, and validateMjml its validation.
    expect((await compileMjml(BROKEN, EMAIL_MJML_OPTIONS)).errors.length).toBeGreaterThan(0);
    expect(validateMjml(BROKEN)).toEqual(strictErrors(here, BROKEN));
  }, 60_000);

  it('boots a thread that loads MJML for its first compile when never told to load', async () => {
    bootMjmlThread();
    const there = await compileOnThread(BROKEN, EMAIL_MJML_OPTIONS);
    expect(there?.html).toBe((await mjmlModulesFrom('bundle').mjml2html(BROKEN, EMAIL_MJML_OPTIONS)).html);
    expect(there?.validation.length).toBeGreaterThan(0);
  }, 60_000);

  it('answers undefined, for compiling here, when the thread stops while a compile waits', async () => {
    loadMjmlEarly();
    const waiting = compileOnThread(BROKEN, EMAIL_MJML_OPTIONS);
    await stopMjmlThread();
    expect(await waiting).toBeUndefined();
    const result = await compileMjml(BROKEN, EMAIL_MJML_OPTIONS);
    expect(result.html).toContain('Utan kolumn');
  }, 60_000);

  it('gives way to compiling in this thread when the thread is gone', async () => {
    expect(await compileOnThread(BROKEN, EMAIL_MJML_OPTIONS)).toBeUndefined();
    loadMjmlEarly();
    await stopMjmlThread();
    expect(await compileOnThread(BROKEN, EMAIL_MJML_OPTIONS)).toBeUndefined();
    bootMjmlThread();
    await stopMjmlThread();
    expect(await compileOnThread(BROKEN, EMAIL_MJML_OPTIONS)).toBeUndefined();
    const result = await compileMjml(BROKEN, EMAIL_MJML_OPTIONS);
    expect(result.html).toContain('Utan kolumn');
  }, 60_000);
});
