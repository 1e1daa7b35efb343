import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VFile } from 'vfile';
import { report } from '../../report/message.ts';
import { contrastFailures, luminance } from '../../theme/contrast.ts';
import { DEFAULT_THEME_DIR } from '../../theme/load.ts';
import { lines, type Rule } from '../rule.ts';

/**
 * `theme-contrast`: every text colour of the theme reaches WCAG 2.1 AA contrast (4.5:1) on the
 * backgrounds it is shown on, and the focus ring 3:1, in the light and the dark palette. The
 * messages go on the theme's `theme.yml`, at the line of the colour (the foreground when the
 * theme sets it, else the background; a pair of two default colours has no line).
 */
export const themeContrast: Rule = {
  id: 'theme-contrast',
  description:
    'the theme’s text colours reach WCAG 2.1 AA contrast (4.5:1, focus ring 3:1) in light and dark',
  severity: ['error'],
  examples: [
    { name: 'the default theme', files: {} },
    {
      name: 'a theme with a grey text just too light on white, and a dark link on the dark background',
      files: {},
      theme: {
        'theme.yml': lines('colors:', '  light:', "    text: '#777777'", '  dark:', "    link: '#3366cc'"),
      },
      messages: [
        'theme/theme.yml:3:11 error Unexpected contrast 4.48:1 of `text` #777777 on `background` #ffffff in the light palette (body text), expected at least 4.5:1 (WCAG 2.1 AA)',
        'theme/theme.yml:3:11 error Unexpected contrast … of `text` #777777 on `surface` … in the light palette …',
        'theme/theme.yml:5:11 error Unexpected contrast … of `link` #3366cc on `background` … in the dark palette …',
        'theme/theme.yml:5:11 error Unexpected contrast … of `link` #3366cc on `surface` … in the dark palette …',
        'theme/theme.yml:5:11 error Unexpected contrast … of `link` #3366cc on `page` … in the dark palette …',
      ],
    },
  ],
  check({ config, extraFiles }) {
    const { theme } = config;
    const failures = (['light', 'dark'] as const).flatMap((mode) =>
      contrastFailures(theme.colors[mode]).map((failure) => ({ mode, ...failure })),
    );
    if (failures.length === 0) return;
    const path = theme.file ?? join(DEFAULT_THEME_DIR, 'theme.yml');
    const file = new VFile({ path, value: readFileSync(path, 'utf8') });
    extraFiles.push(file);
    for (const { mode, foreground, background, minimum, ratio, where } of failures) {
      const colours = theme.colors[mode];
      const darker = luminance(colours[foreground]) < luminance(colours[background]);
      const place =
        theme.places[`colors.${mode}.${foreground}`] ?? theme.places[`colors.${mode}.${background}`];
      report(
        file,
        `Unexpected contrast ${ratio.toFixed(2)}:1 of \`${foreground}\` ${colours[foreground]} on \`${background}\` ${colours[background]} in the ${mode} palette (${where}), expected at least ${minimum}:1 (WCAG 2.1 AA)`,
        {
          ruleId: 'theme-contrast',
          place,
          hint: `Make \`colors.${mode}.${foreground}\` ${darker ? 'darker' : 'lighter'} or \`colors.${mode}.${background}\` ${darker ? 'lighter' : 'darker'} until the ratio is ${minimum}:1 or more.`,
        },
      );
    }
  },
};
