import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Palette } from '../theme/schema.ts';
import type { Theme } from '../theme/load.ts';
import { TEMPLATES_DIR } from './templates.ts';

// Not theme keys: the border of form fields (3:1 on either background) and search hit marks.
const FIXED = {
  light: { control: '#6b7785', mark: '#fff0b3' },
  dark: { control: '#8a96a3', mark: '#5c4a00' },
};

/**
 * The archive's `assets/style.css`: the theme's colours (light, and dark under
 * `prefers-color-scheme`) and font stack as CSS custom properties, followed by the shipped
 * templates/web/assets/style.css, which uses only those properties.
 */
export function renderStylesheet(theme: Theme, dir = TEMPLATES_DIR): string {
  const rules = readFileSync(join(dir, 'web', 'assets', 'style.css'), 'utf8');
  return [
    `:root {\n  ${properties(theme.colors.light, 'light')}\n  --font: ${theme.font};\n  color-scheme: light dark;\n}`,
    `@media (prefers-color-scheme: dark) {\n  :root { ${properties(theme.colors.dark, 'dark')} }\n}`,
    rules,
  ].join('\n');
}

function properties(palette: Palette, mode: 'light' | 'dark'): string {
  const values = {
    text: palette.text,
    muted: palette.muted,
    bg: palette.background,
    surface: palette.surface,
    accent: palette.accent,
    link: palette.link,
    border: palette.border,
    focus: palette.focus,
    button: palette.accent,
    'button-text': palette.background,
    ...FIXED[mode],
  };
  return Object.entries(values)
    .map(([name, value]) => `--${name}: ${value};`)
    .join(' ');
}
