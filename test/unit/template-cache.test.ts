import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useResultCache } from '../../src/cache/results.ts';
import { isUserError } from '../../src/errors.ts';
import { loadTemplate } from '../../src/render/templates.ts';
import { tempDir } from '../support/spine.ts';

/** A templates folder with `web/page.hbs` and one partial, `web/partials/hello.hbs`. */
function templates(page: string, partial = 'Hej {{name}}!'): string {
  const dir = tempDir('nyhetsbrev-templates-');
  mkdirSync(join(dir, 'web', 'partials'), { recursive: true });
  writeFileSync(join(dir, 'web', 'page.hbs'), page);
  writeFileSync(join(dir, 'web', 'partials', 'hello.hbs'), partial);
  return dir;
}

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isUserError(error)).toBe(true);
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  throw new Error('expected a TemplateError');
}

afterEach(() => useResultCache(false));

describe('templates precompiled in the result cache', () => {
  const page = '<p>{{> hello}}</p>{{#each items}}<i>{{this}}</i>{{/each}}{{{raw}}} {{escaped}}';
  const data = { name: 'Åsa', items: ['a', 'b'], raw: '<b>x</b>', escaped: '<&>' };

  it('render what compiling on use renders, from a cold and a warm cache', () => {
    const expected = loadTemplate('web', 'page.hbs', { dir: templates(page) })(data);
    expect(expected).toBe('<p>Hej Åsa!</p><i>a</i><i>b</i><b>x</b> &lt;&amp;&gt;');
    const cache = tempDir('nyhetsbrev-results-');
    useResultCache(cache);
    expect(loadTemplate('web', 'page.hbs', { dir: templates(page) })(data)).toBe(expected);
    expect(readdirSync(join(cache, 'results'))).toHaveLength(2);
    expect(loadTemplate('web', 'page.hbs', { dir: templates(page) })(data)).toBe(expected);
  });

  it('stay strict, partials included: a missing field is the same TemplateError', () => {
    const uncached = failure(() =>
      loadTemplate('web', 'page.hbs', { dir: templates(page) })({ items: [], raw: '', escaped: '' }),
    );
    useResultCache(tempDir('nyhetsbrev-results-'));
    for (let run = 0; run < 2; run++) {
      const dir = templates(page);
      const message = failure(() =>
        loadTemplate('web', 'page.hbs', { dir })({ items: [], raw: '', escaped: '' }),
      );
      expect(message.replace(dir, 'DIR')).toMatch(/^TemplateError: .*"name" not defined/);
    }
    expect(uncached).toMatch(/^TemplateError: .*"name" not defined/);
  });

  it('report a template that does not compile as compiling on use does', () => {
    const broken = '<p>{{#each items}}</p>';
    const dir = templates(broken);
    const uncached = failure(() => loadTemplate('web', 'page.hbs', { dir })(data));
    useResultCache(tempDir('nyhetsbrev-results-'));
    const again = templates(broken);
    expect(failure(() => loadTemplate('web', 'page.hbs', { dir: again })(data)).replace(again, dir)).toBe(
      uncached,
    );
  });

  it('are not read from a results folder others may write to', () => {
    const cache = tempDir('nyhetsbrev-results-');
    useResultCache(cache);
    const dir = templates('{{> hello}}', 'Hej {{name}}!');
    expect(loadTemplate('web', 'page.hbs', { dir })({ name: 'A' })).toBe('Hej A!');
    const entries = readdirSync(join(cache, 'results')).map((name) => join(cache, 'results', name));
    // Plant other code under the partial's key: used while the folder is private, not once shared.
    for (const path of entries) {
      const entry = JSON.parse(readFileSync(path, 'utf8')) as { value: string };
      if (entry.value.includes('Hej '))
        writeFileSync(path, JSON.stringify({ ...entry, value: entry.value.replace('Hej ', 'Planted ') }));
    }
    expect(
      loadTemplate('web', 'page.hbs', { dir: templates('{{> hello}}', 'Hej {{name}}!') })({ name: 'A' }),
    ).toBe('Planted A!');
    chmodSync(join(cache, 'results'), 0o777);
    expect(
      loadTemplate('web', 'page.hbs', { dir: templates('{{> hello}}', 'Hej {{name}}!') })({ name: 'A' }),
    ).toBe('Hej A!');
  });

  it('are not read through a symlink, from an entry others may write to, or below a folder others may write to', () => {
    const plant = (cache: string) => {
      useResultCache(cache);
      expect(loadTemplate('web', 'page.hbs', { dir: templates('{{> hello}}') })({ name: 'A' })).toBe(
        'Hej A!',
      );
      const [path] = readdirSync(join(cache, 'results'))
        .map((name) => join(cache, 'results', name))
        .filter((file) => readFileSync(file, 'utf8').includes('Hej '));
      const entry = JSON.parse(readFileSync(path!, 'utf8')) as { value: string };
      writeFileSync(path!, JSON.stringify({ ...entry, value: entry.value.replace('Hej ', 'Planted ') }));
      const render = () => loadTemplate('web', 'page.hbs', { dir: templates('{{> hello}}') })({ name: 'A' });
      expect(render()).toBe('Planted A!');
      return { path: path!, render };
    };
    const writable = plant(tempDir('nyhetsbrev-results-'));
    chmodSync(writable.path, 0o666);
    expect(writable.render()).toBe('Hej A!');

    const linked = plant(tempDir('nyhetsbrev-results-'));
    const elsewhere = join(tempDir('nyhetsbrev-elsewhere-'), 'entry.json');
    renameSync(linked.path, elsewhere);
    symlinkSync(elsewhere, linked.path);
    expect(linked.render()).toBe('Hej A!');

    const shared = tempDir('nyhetsbrev-shared-');
    const below = plant(join(shared, 'cache'));
    chmodSync(shared, 0o777);
    expect(below.render()).toBe('Hej A!');
    chmodSync(shared, 0o1777);
    expect(below.render()).toBe('Planted A!');
  });
});

describe('the shipped templates, precompiled when nyhetsbrev is compiled (lib/templates.json)', () => {
  it('come precompiled: rendering them puts nothing in the result cache, unlike a template of ours', () => {
    const cache = tempDir('nyhetsbrev-results-');
    useResultCache(cache);
    for (const [kind, name] of [
      ['email', 'issue.mjml.hbs'],
      ['web', 'issue.hbs'],
      ['email', 'confirm.mjml.hbs'],
    ] as const) {
      expect(typeof loadTemplate(kind, name)).toBe('function');
    }
    expect(existsSync(join(cache, 'results'))).toBe(false);
    // An edited template (another source) is not taken for the shipped one: compiled, and kept.
    const dir = templates('<p>{{> hello}}</p>');
    expect(loadTemplate('web', 'page.hbs', { dir })({ name: 'Åsa' })).toBe('<p>Hej Åsa!</p>');
    expect(readdirSync(join(cache, 'results'))).toHaveLength(2);
  });
});
