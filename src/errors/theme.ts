import type { CatalogPart } from './names.ts';

/** Errors of a theme folder (`theme:` in the config; README → Themes). */
export const THEME = {
  ThemeMissing: {
    name: 'ThemeInvalid',
    message: ({ dir }: { dir: string }) => `The theme folder ${dir} has no theme.yml.`,
    hint: 'Point `theme:` in nyhetsbrev.yml at a folder with a theme.yml (README → Themes), or remove it for the default look.',
  },
  ThemeProblems: {
    name: 'ThemeInvalid',
    message: ({ file, problems }: { file: string; problems: readonly string[] }) =>
      `${file} has ${problems.length} problem(s):\n${problems.join('\n')}`,
    hint: 'See README → Themes for every key of theme.yml and its meaning.',
  },
  ThemeFooterWithoutUnsubscribe: {
    name: 'ThemeInvalid',
    message: ({ footer }: { footer: string }) =>
      `The theme's email footer ${footer} has no unsubscribe link.`,
    hint: 'Keep a link to {{unsubscribeUrl}} in it, as templates/themes/default/email/footer.mjml.hbs does.',
  },
  ThemeLogoSize: {
    name: 'ThemeInvalid',
    message: ({ file }: { file: string }) => `Cannot read the size of the logo ${file}.`,
    hint: 'Give an SVG with width and height (or a viewBox), or a PNG.',
  },
} satisfies CatalogPart;
