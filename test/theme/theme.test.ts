import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { isUserError } from '../../src/errors.ts';
import { contrastRatio } from '../../src/theme/contrast.ts';
import { DEFAULT_THEME_DIR, loadTheme } from '../../src/theme/load.ts';
import { checkArchive, CHECK_FIXTURES } from '../check/helpers.ts';
import { buildFixture, tempDir, testConfig } from '../support/spine.ts';

const SAMPLE = resolve('themes/exempel-myndighet');

/** A theme folder holding `files` (name → text); returns its path. */
function themeFolder(files: Record<string, string>): string {
  const dir = tempDir('nyhetsbrev-theme-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The smallest nyhetsbrev.yml that loads, with `theme:` (on line 7) set to `theme`. */
function configWithTheme(theme: string): string {
  return [
    'organisation: O',
    'newsletter: N',
    'baseUrl: https://example.org/',
    'sender:',
    '  from: n@example.org',
    'footer: F',
    `theme: ${theme}`,
    '',
  ].join('\n');
}

/** The error `run` throws, as the CLI prints its parts. */
function failure(run: () => unknown): { name: string; message: string; place: string | undefined } {
  try {
    run();
  } catch (error) {
    if (isUserError(error)) return { name: error.name, message: error.message, place: error.place };
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('the theme contract (theme.yml)', () => {
  it('lists every problem of theme.yml at once, each with file:line:col and its key', () => {
    const dir = themeFolder({
      'theme.yml': [
        'colors:',
        '  light:',
        '    text: blue',
        '    accnt: "#123456"',
        'logo:',
        '  light: logo.gif',
        'font: "Georgia; color: red"',
        '',
      ].join('\n'),
    });
    const { name, message } = failure(() => loadTheme(dir));
    const file = join(dir, 'theme.yml');
    expect(name).toBe('ThemeInvalid');
    expect(message).toContain(`${file} has 5 problem(s):`);
    expect(message).toContain(
      `${file}:3:11 colors.light.text: expected a colour as #rrggbb, such as #1d3a5f`,
    );
    expect(message).toContain(`${file}:3:5 colors.light: Unrecognized key: "accnt"`);
    expect(message).toContain(`${file}:6:10 logo.light: expected an .svg or .png file, such as logo.svg`);
    expect(message).toContain(`${file}:6:3 logo.alt: is required but missing`);
    expect(message).toContain(`${file}:7:7 font: expected a CSS font stack of names`);
  });

  it('reports a logo file that is not in the folder at its line', () => {
    const dir = themeFolder({ 'theme.yml': 'logo:\n  alt: Exempel\n  light: saknas.svg\n' });
    const { name, message } = failure(() => loadTheme(dir));
    expect(name).toBe('ThemeInvalid');
    expect(message).toContain(`${join(dir, 'theme.yml')}:3:10 logo.light: saknas.svg is not in ${dir}`);
  });

  it('refuses a folder without theme.yml, at the line of `theme:` in nyhetsbrev.yml', () => {
    const dir = themeFolder({ 'theme.yaml': 'colors: {}\n' });
    const { name, place, message } = failure(() => parseConfig(configWithTheme(dir), '/tmp/nyhetsbrev.yml'));
    expect({ name, place }).toEqual({ name: 'ThemeInvalid', place: '/tmp/nyhetsbrev.yml:7:8' });
    expect(message).toBe(`The theme folder ${dir} has no theme.yml.`);
  });

  it('refuses an email footer partial without the unsubscribe link', () => {
    const dir = themeFolder({
      'theme.yml': 'font: Georgia, serif\n',
      'email/footer.mjml.hbs':
        '<mj-section><mj-column><mj-text>{{organisation}}</mj-text></mj-column></mj-section>\n',
    });
    const { name, place } = failure(() => loadTheme(dir));
    expect({ name, place }).toEqual({ name: 'ThemeInvalid', place: join(dir, 'email/footer.mjml.hbs') });
  });

  it('resolves the theme folder relative to nyhetsbrev.yml', () => {
    const root = tempDir('nyhetsbrev-project-');
    cpSync(SAMPLE, join(root, 'themes/exempel'), { recursive: true });
    const theme = parseConfig(configWithTheme('themes/exempel'), join(root, 'nyhetsbrev.yml')).theme;
    expect(theme.file).toBe(join(root, 'themes/exempel/theme.yml'));
    expect(theme.logo?.light).toMatchObject({
      source: join(root, 'themes/exempel/logo.svg'),
      path: 'assets/theme/logo.svg',
      width: 200,
      height: 58,
    });
  });
});

describe('falling back to the default theme', () => {
  it('takes every colour, the font and every partial the theme leaves out from the default theme', () => {
    const dir = themeFolder({ 'theme.yml': "colors:\n  light:\n    accent: '#5a2d82'\n" });
    const theme = loadTheme(dir);
    const defaults = loadTheme(undefined);
    expect(theme.colors.light).toEqual({ ...defaults.colors.light, accent: '#5a2d82' });
    expect(theme.colors.dark).toEqual(defaults.colors.dark);
    expect(theme.font).toBe(defaults.font);
    expect(theme.logo).toBeUndefined();
    expect(theme.partials).toEqual(defaults.partials);
  });

  it('uses the theme’s partials where it has them and the default ones where it has not', () => {
    const theme = loadTheme(SAMPLE);
    expect(theme.partials).toEqual({
      email: [join(SAMPLE, 'email/header.mjml.hbs'), join(DEFAULT_THEME_DIR, 'email/footer.mjml.hbs')],
      web: [join(DEFAULT_THEME_DIR, 'web/header.hbs'), join(SAMPLE, 'web/footer.hbs')],
    });
  });

  it('renders an issue with a theme that has no partials through the default header and footer, in its colours', async () => {
    const dir = themeFolder({ 'theme.yml': "colors:\n  light:\n    accent: '#5a2d82'\n" });
    const built = await buildFixture('teasers', '2024-03', testConfig(`theme: ${dir}\n`));
    expect(built.email.html).toContain('class="masthead-org"');
    expect(built.email.html).toContain('href="NYHETSBREV_UNSUBSCRIBE_URL"');
    expect(built.email.html).toMatch(/<h1 [^>]*color:#5a2d82/);
    expect(built.web).toContain('<footer class="site-footer">');
  });

  it('reports an MJML error of a theme’s partial at its line in that partial', async () => {
    const dir = themeFolder({
      'theme.yml': 'font: Georgia, serif\n',
      'email/header.mjml.hbs': [
        '<mj-section css-class="sec-masthead">',
        '  <mj-column>',
        '    <mj-text colour="red">{{organisation}}</mj-text>',
        '  </mj-column>',
        '</mj-section>',
        '',
      ].join('\n'),
    });
    const { messages } = await checkArchive(join(CHECK_FIXTURES, 'clean'), testConfig(`theme: ${dir}\n`));
    const mjml = messages.filter((message) => message.ruleId === 'mjml');
    expect(mjml.map((message) => [message.file.endsWith('email/header.mjml.hbs'), message.line])).toEqual([
      [true, 3],
    ]);
  });

  it('changes its digest (and so the build cache’s fingerprint) when a partial or logo of the theme changes', () => {
    const dir = themeFolder({ 'theme.yml': 'font: Georgia, serif\n' });
    const before = loadTheme(dir).digest;
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web/footer.hbs'), '<footer class="site-footer">{{organisation}}</footer>\n', {
      flag: 'w',
    });
    expect(loadTheme(dir).digest).not.toBe(before);
  });

  it('leaves the output without a theme as the default theme’s', async () => {
    const plain = await buildFixture('teasers', '2024-03');
    const themed = await buildFixture('teasers', '2024-03', testConfig(`theme: ${DEFAULT_THEME_DIR}\n`));
    expect(themed.email.html).toBe(plain.email.html);
    expect(themed.web).toBe(plain.web);
  });

  it('gives the default theme every key, each text colour at AA contrast', () => {
    const defaults = loadTheme(undefined);
    for (const mode of ['light', 'dark'] as const) {
      expect(Object.values(defaults.colors[mode]).every((colour) => /^#[0-9a-f]{6}$/.test(colour))).toBe(
        true,
      );
      expect(contrastRatio(defaults.colors[mode].text, defaults.colors[mode].background)).toBeGreaterThan(
        4.5,
      );
    }
  });
});

describe('the theme-contrast check', () => {
  it('computes the WCAG ratio: black on white 21:1, #777 on white just under 4.5:1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#767676')).toBeCloseTo(4.54, 2);
  });

  it('fails a theme whose text misses 4.5:1, light and dark, with the theme file’s line of the colour', async () => {
    const dir = themeFolder({
      'theme.yml': ['colors:', '  light:', "    text: '#777777'", '  dark:', "    link: '#3366cc'", ''].join(
        '\n',
      ),
    });
    const { messages } = await checkArchive(join(CHECK_FIXTURES, 'clean'), testConfig(`theme: ${dir}\n`));
    const contrast = messages.filter((message) => message.ruleId === 'theme-contrast');
    expect(
      contrast.map((message) => [
        message.file.endsWith(`${dir.split('/').at(-1)}/theme.yml`),
        message.line,
        message.column,
        message.severity,
      ]),
    ).toEqual([
      [true, 3, 11, 'error'],
      [true, 3, 11, 'error'],
      [true, 5, 11, 'error'],
      [true, 5, 11, 'error'],
      [true, 5, 11, 'error'],
    ]);
    expect(contrast[0]!.message).toBe(
      'Unexpected contrast 4.48:1 of `text` #777777 on `background` #ffffff in the light palette (body text), expected at least 4.5:1 (WCAG 2.1 AA)',
    );
    expect(contrast[2]!.message).toMatch(
      /^Unexpected contrast 3\.\d\d:1 of `link` #3366cc on `background` #14181c in the dark palette/,
    );
  });

  it('makes `nyhetsbrev check` exit 1 with the theme file’s line', () => {
    const dir = themeFolder({ 'theme.yml': "colors:\n  dark:\n    muted: '#555555'\n" });
    const root = tempDir('nyhetsbrev-project-');
    writeFileSync(join(root, 'nyhetsbrev.yml'), configWithTheme(dir));
    const result = spawnSync(
      process.execPath,
      [
        'bin/nyhetsbrev.js',
        'check',
        '--config',
        join(root, 'nyhetsbrev.yml'),
        '--issues',
        join(CHECK_FIXTURES, 'clean'),
      ],
      { encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      /theme\.yml:3:12 error Unexpected contrast \d\.\d\d:1 of `muted` #555555 on `background` #14181c in the dark palette .* theme-contrast/,
    );
    expect(result.stderr).toContain('CheckFailed');
  });

  it('passes the default theme and the sample theme', async () => {
    for (const config of [testConfig(), testConfig(`theme: ${SAMPLE}\n`)]) {
      const { messages } = await checkArchive(join(CHECK_FIXTURES, 'clean'), config);
      expect(messages.filter((message) => message.ruleId === 'theme-contrast')).toEqual([]);
    }
  });
});
