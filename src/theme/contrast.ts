import type { Palette, PaletteKey } from './schema.ts';

/**
 * WCAG 2.1 relative luminance of a `#rrggbb` colour (the definition under "relative luminance",
 * with its 0.03928 threshold). Written out rather than taken from a package: it is the spec's four
 * lines, the input is already a validated six-digit hex, and the small packages that do it
 * (`wcag-contrast`, `relative-luminance`) have not been touched since 2018.
 */
export function luminance(hex: string): number {
  const channel = (start: number) => {
    const value = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** A foreground on a background that must reach `minimum`, and where the pair is seen. */
export interface ContrastPair {
  foreground: PaletteKey;
  background: PaletteKey;
  minimum: number;
  where: string;
}

/**
 * Every pair the email and the web pages put on screen. Text needs 4.5:1 (WCAG 2.1 AA, 1.4.3);
 * the focus ring 3:1 (1.4.11). Borders only decorate, so they are not checked.
 */
export const CONTRAST_PAIRS: readonly ContrastPair[] = [
  { foreground: 'text', background: 'background', minimum: 4.5, where: 'body text' },
  {
    foreground: 'text',
    background: 'surface',
    minimum: 4.5,
    where: 'text in fact boxes, tables and the web header',
  },
  { foreground: 'muted', background: 'background', minimum: 4.5, where: 'signatures and dates' },
  { foreground: 'muted', background: 'surface', minimum: 4.5, where: 'the web footer' },
  { foreground: 'muted', background: 'page', minimum: 4.5, where: 'the email footer' },
  { foreground: 'link', background: 'background', minimum: 4.5, where: 'links' },
  {
    foreground: 'link',
    background: 'surface',
    minimum: 4.5,
    where: 'links in the web header and table of contents',
  },
  { foreground: 'link', background: 'page', minimum: 4.5, where: 'links in the email footer' },
  { foreground: 'accent', background: 'background', minimum: 4.5, where: 'headings' },
  { foreground: 'accent', background: 'surface', minimum: 4.5, where: 'fact box titles and the site name' },
  { foreground: 'mastheadText', background: 'masthead', minimum: 4.5, where: 'the email masthead' },
  { foreground: 'focus', background: 'background', minimum: 3, where: 'the focus ring' },
];

/** One pair of a palette below its minimum. */
export interface ContrastFailure extends ContrastPair {
  ratio: number;
}

/** The pairs of `palette` below their minimum, in {@link CONTRAST_PAIRS} order. */
export function contrastFailures(palette: Palette): ContrastFailure[] {
  return CONTRAST_PAIRS.flatMap((pair) => {
    const ratio = contrastRatio(palette[pair.foreground], palette[pair.background]);
    return ratio < pair.minimum ? [{ ...pair, ratio }] : [];
  });
}
