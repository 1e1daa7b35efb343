import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useResultCache } from '../../src/cache/results.ts';
import { compileMjml, validateMjml } from '../../src/render/mjml.ts';
import { tempDir } from '../support/spine.ts';

const MJML =
  '<mjml><mj-body><mj-section><mj-column><mj-text>Hej</mj-text></mj-column></mj-section></mj-body></mjml>';
const BROKEN = '<mjml><mj-body><mj-column><mj-text>Hej</mj-text></mj-column></mj-body></mjml>';
const OPTIONS = { validationLevel: 'soft', fonts: {} } as const;

function entries(dir: string): string[] {
  return readdirSync(join(dir, 'results'))
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, 'results', name));
}

afterEach(() => useResultCache(false));

describe('the MJML result cache', () => {
  it('keeps nothing once turned off (`--no-cache`)', async () => {
    const dir = tempDir('nyhetsbrev-mjml-off-');
    useResultCache(dir);
    useResultCache(false);
    await compileMjml(MJML, OPTIONS);
    validateMjml(MJML);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('answers a second compile of the same source, options and MJML from the kept result', async () => {
    const dir = tempDir('nyhetsbrev-mjml-on-');
    useResultCache(dir);
    const first = await compileMjml(MJML, OPTIONS);
    expect(first.html).toContain('Hej');
    const [path] = entries(dir);
    // A kept result is used as it is: plant a different one under the same key.
    const kept = JSON.parse(readFileSync(path!, 'utf8')) as { value: { html: string } };
    kept.value.html = '<p>from the cache</p>';
    writeFileSync(path!, JSON.stringify(kept));
    expect((await compileMjml(MJML, OPTIONS)).html).toBe('<p>from the cache</p>');
    // Other options are another key: compiled, and kept beside it.
    expect((await compileMjml(MJML, { ...OPTIONS, minify: false })).html).toContain('Hej');
    expect(entries(dir)).toHaveLength(2);
  });

  it('compiles again over a damaged entry, and keeps MJML’s problems with the HTML', async () => {
    const dir = tempDir('nyhetsbrev-mjml-bad-');
    useResultCache(dir);
    const first = await compileMjml(BROKEN, OPTIONS);
    expect(first.errors.map((error) => error.tagName)).toContain('mj-column');
    const [path] = entries(dir);
    writeFileSync(path!, '{"key": "not this one"');
    expect(await compileMjml(BROKEN, OPTIONS)).toEqual(first);
    expect(JSON.parse(readFileSync(path!, 'utf8'))).toMatchObject({ value: first });
  });

  it('keeps strict validation apart from compiling, with the same problems as uncached', () => {
    const dir = tempDir('nyhetsbrev-mjml-valid-');
    const uncached = validateMjml(BROKEN);
    expect(uncached.length).toBeGreaterThan(0);
    useResultCache(dir);
    expect(validateMjml(BROKEN)).toEqual(uncached);
    expect(validateMjml(BROKEN)).toEqual(uncached);
    expect(entries(dir)).toHaveLength(1);
    expect(validateMjml(MJML)).toEqual([]);
  });
});
