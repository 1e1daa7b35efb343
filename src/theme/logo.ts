import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageSize } from 'image-size';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import type { ThemeInput } from './schema.ts';

/** A logo file: where it is, where the build copies it (under the web archive), its size shown. */
export interface LogoImage {
  source: string;
  /** Path under the archive's root, such as `assets/theme/logo.svg`. */
  path: string;
  width: number;
  height: number;
}

/** The theme's logo, resolved: both variants for the web, both for the email. */
export interface ThemeLogo {
  alt: string;
  light: LogoImage;
  dark: LogoImage;
  email: { light: LogoImage; dark: LogoImage };
}

/**
 * Measures the logo files of a theme folder: each variant at the width shown (`logo.width`, else
 * the light file's own, at most 240) and the height of its own proportions. Throws `ThemeInvalid`
 * for a file whose size cannot be read.
 */
export function resolveLogo(dir: string, logo: NonNullable<ThemeInput['logo']>): ThemeLogo {
  const width = logo.width ?? Math.min(240, measure(join(dir, logo.light)).width);
  const image = (name: string): LogoImage => {
    const source = join(dir, name);
    const size = measure(source);
    return {
      source,
      path: `assets/theme/${name.replaceAll('\\', '/')}`,
      width,
      height: Math.round((width * size.height) / size.width),
    };
  };
  const light = image(logo.light);
  const dark = logo.dark ? image(logo.dark) : light;
  const email = logo.email
    ? {
        light: image(logo.email.light),
        dark: logo.email.dark ? image(logo.email.dark) : image(logo.email.light),
      }
    : { light, dark };
  return { alt: logo.alt, light, dark, email };
}

function measure(file: string): { width: number; height: number } {
  try {
    const { width, height } = imageSize(readFileSync(file));
    if (width > 0 && height > 0) return { width, height };
  } catch {
    // reported below
  }
  throw new UserError(E.ThemeLogoSize, { file }, { place: file });
}
