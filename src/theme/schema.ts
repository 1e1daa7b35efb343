import * as z from 'zod';

/** A colour as written: `#rgb` or `#rrggbb`, read as lowercase `#rrggbb` (some mail clients need six digits). */
const colour = z
  .string({ message: 'expected a colour as #rrggbb, such as #1d3a5f' })
  .regex(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i, 'expected a colour as #rrggbb, such as #1d3a5f')
  .transform((value) => {
    const hex = value.slice(1).toLowerCase();
    return `#${hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex}`;
  });

/** The colours of one mode. Every key left out is the default theme's. */
const paletteSchema = z
  .object({
    /** Body text. */
    text: colour.optional(),
    /** Signatures, dates, footers. */
    muted: colour.optional(),
    /** The web page; the email's content column. */
    background: colour.optional(),
    /** Fact boxes, table headers, the table of contents, the web header and footer. */
    surface: colour.optional(),
    /** The email's background around its content column. */
    page: colour.optional(),
    /** Headings, the site name, fact box borders, buttons. */
    accent: colour.optional(),
    link: colour.optional(),
    /** Dividers and table borders (decorative: not contrast-checked). */
    border: colour.optional(),
    /** The web pages' focus ring (3:1 against `background`). */
    focus: colour.optional(),
    /** The email masthead's background and text. */
    masthead: colour.optional(),
    mastheadText: colour.optional(),
  })
  .strict();

/** A logo file of the theme folder: SVG or PNG, relative, inside the folder. */
const logoFile = z
  .string()
  .regex(/\.(svg|png)$/i, 'expected an .svg or .png file, such as logo.svg')
  .refine(
    (value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'),
    'expected a path inside the theme folder, such as logo.svg',
  );

/** The logo: a light and a dark variant, their alt text, the width shown. */
const logoSchema = z
  .object({
    /** Shown on light backgrounds: the web header and the email masthead in light mode. */
    light: logoFile,
    /** Shown in dark mode; the light one when left out. */
    dark: logoFile.optional(),
    /** What the logo says, usually the organisation's name: the text when images are off. */
    alt: z.string().trim().min(1, 'expected the text of the logo, such as the organisation’s name'),
    /** Width in CSS pixels (the height follows the file's proportions); default its own, at most 240. */
    width: z.number().int().min(16).max(552).optional(),
    /** PNG copies for the email (Gmail and Outlook show no SVG); the `light`/`dark` files when left out. */
    email: z.object({ light: logoFile, dark: logoFile.optional() }).strict().optional(),
  })
  .strict();

/** The schema of a theme's `theme.yml` as written (README → Themes). */
export const themeSchema = z
  .object({
    logo: logoSchema.optional(),
    colors: z
      .object({ light: paletteSchema.prefault({}), dark: paletteSchema.prefault({}) })
      .strict()
      .prefault({}),
    /** A CSS font stack for email and web; system fonts only (nothing loads web fonts). */
    font: z
      .string()
      .regex(
        /^[\p{L}\p{N} ,'".-]+$/u,
        'expected a CSS font stack of names, such as "Georgia, \'Times New Roman\', serif"',
      )
      .optional(),
  })
  .strict();

/** A theme as written. */
export type ThemeInput = z.output<typeof themeSchema>;

/** The names of a palette's colours. */
export type PaletteKey = keyof z.output<typeof paletteSchema>;

/** A palette with every colour (the default theme's where the theme left one out). */
export type Palette = Record<PaletteKey, string>;

/** The keys of a palette, in the order of the contract. */
export const PALETTE_KEYS = Object.keys(paletteSchema.shape) as PaletteKey[];
