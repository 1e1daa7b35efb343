import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkIssue, issueIds } from '../../src/check/index.ts';
import { parseConfig } from '../../src/config/load.ts';
import { loadArchive } from '../../src/pipeline.ts';
import { EMAIL_MJML_OPTIONS } from '../../src/render/mjml.ts';
import { mjmlModulesFrom, vendorIsFresh } from '../../src/render/mjml-modules.ts';
import { ALL_ARCHIVES, tempDir, testConfig } from '../support/spine.ts';

const ROOT = resolve('.');

const ARCHIVES = ALL_ARCHIVES;

function themed() {
  const base = readFileSync('nyhetsbrev.yml', 'utf8');
  return parseConfig(`${base}\ntheme: themes/exempel-myndighet\n`, resolve('nyhetsbrev.yml'));
}

async function everyEmailMjml(): Promise<string[]> {
  const sources: string[] = [];
  for (const [dirs, config] of [
    [ARCHIVES, testConfig()],
    [[resolve('issues')], themed()],
  ] as const) {
    for (const dir of dirs) {
      const archive = await loadArchive(dir, config);
      for (const id of issueIds(archive)) {
        const mjml = (await checkIssue(archive, id, config)).built?.email.mjml;
        if (mjml) sources.push(mjml);
      }
    }
  }
  return sources;
}

describe('MJML from its bundle (bin/vendor.js, lib/vendor/mjml.cjs)', () => {
  it('is what this checkout uses: made from the packages installed, with its code cache', () => {
    expect(vendorIsFresh()).toBe(true);
    const mjml = pathToFileURL(join(ROOT, 'lib/render/mjml.js')).href;
    const modules = pathToFileURL(join(ROOT, 'lib/render/mjml-modules.js')).href;
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { EMAIL_MJML_OPTIONS: options } = await import(${JSON.stringify(mjml)});
         const m = await import(${JSON.stringify(modules)});
         await m.mjmlModules().mjml2html('<mjml><mj-body><mj-text>Hej</mj-text></mj-body></mjml>', options);
         process.stdout.write(m.mjmlSource());`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('bundle with code cache');
  });

  it('compiles every fixture and sample email to the same bytes, with the same problems, as MJML from node_modules', async () => {
    const bundle = mjmlModulesFrom('bundle');
    const packages = mjmlModulesFrom('node_modules');
    const sources = await everyEmailMjml();
    expect(sources.length).toBeGreaterThan(40);
    // And a broken one: MJML's problems, as soft validation reports them.
    sources.push(
      '<mjml><mj-body><mj-section><mj-text>Utan kolumn</mj-text><mj-column><mj-image /></mj-column></mj-section></mj-body></mjml>',
    );
    for (const mjml of sources) {
      const [ours, theirs] = await Promise.all([
        bundle.mjml2html(mjml, EMAIL_MJML_OPTIONS),
        packages.mjml2html(mjml, EMAIL_MJML_OPTIONS),
      ]);
      expect(ours.html).toBe(theirs.html);
      expect(ours.errors).toEqual(theirs.errors);
    }
    const broken = sources.at(-1)!;
    const validate = (m: typeof bundle) =>
      m.validate(
        m.parseXml(broken, { keepComments: false, components: m.core.components, ignoreIncludes: true }),
        {
          components: m.core.components,
          dependencies: m.dependencies,
          initializeType: m.core.initializeType,
        },
      );
    expect(validate(bundle).length).toBeGreaterThan(0);
    expect(validate(bundle)).toEqual(validate(packages));
  }, 240_000);

  it('compiles with MJML from node_modules an email that takes a path the bundle left out (beautify: js-beautify)', async () => {
    const mjml =
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hej</mj-text></mj-column></mj-section></mj-body></mjml>';
    const options = { ...EMAIL_MJML_OPTIONS, minify: false, beautify: true };
    const ours = await mjmlModulesFrom('bundle').mjml2html(mjml, options);
    const theirs = await mjmlModulesFrom('node_modules').mjml2html(mjml, options);
    expect(ours.html).toBe(theirs.html);
    expect(ours.html).toMatch(/\n {2,}<div/);
  });

  it('is used only while every package it holds is installed at the version it was made from', () => {
    const root = tempDir('nyhetsbrev-vendor-');
    mkdirSync(join(root, 'lib/vendor'), { recursive: true });
    cpSync(join(ROOT, 'lib/vendor/mjml.cjs'), join(root, 'lib/vendor/mjml.cjs'));
    const key = JSON.parse(readFileSync(join(ROOT, 'lib/vendor/mjml.key'), 'utf8')) as {
      packages: Record<string, string>;
    };
    writeFileSync(join(root, 'lib/vendor/mjml.key'), JSON.stringify(key));
    const install = (folder: string, version: string) => {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, folder, 'package.json'), JSON.stringify({ version }));
    };
    for (const [folder, version] of Object.entries(key.packages)) install(folder, version);
    expect(Object.keys(key.packages)).toContain('node_modules/mjml-core');
    expect(vendorIsFresh(root)).toBe(true);
    install('node_modules/juice', '0.0.1');
    expect(vendorIsFresh(root)).toBe(false);
  });
});
