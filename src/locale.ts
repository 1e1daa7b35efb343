import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sv from '../templates/locales/sv.json' with { type: 'json' };

/** Reader-facing strings (templates/locales/*.json); Swedish is the reference set of keys. */
export type Strings = typeof sv;

/** Supported locales of reader-facing text. */
export type Locale = 'sv' | 'en';

const cache = new Map<Locale, Strings>();

/** The strings of `locale`, read from `templates/locales/<locale>.json`. */
export function stringsFor(locale: Locale): Strings {
  let strings = cache.get(locale);
  if (!strings) {
    const path = fileURLToPath(new URL(`../templates/locales/${locale}.json`, import.meta.url));
    strings = JSON.parse(readFileSync(path, 'utf8')) as Strings;
    cache.set(locale, strings);
  }
  return strings;
}

/** "Mars 2023": the month and year of a `YYYY-MM-DD` date, capitalised, in the locale. */
export function monthLabel(date: string, locale: Locale): string {
  const intl = stringsFor(locale).intlLocale;
  const label = formatter(intl, 'month').format(new Date(`${date}T12:00:00Z`));
  return label.charAt(0).toLocaleUpperCase(intl) + label.slice(1);
}

/** "31 mars 2023": a full date in the locale, for page bylines. */
export function longDate(date: string, locale: Locale): string {
  return formatter(stringsFor(locale).intlLocale, 'day').format(new Date(`${date}T12:00:00Z`));
}

// Creating an Intl.DateTimeFormat costs about a millisecond (it loads ICU data); a 500-issue
// build formats a thousand dates, so each locale's two formatters are made once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(intl: string, kind: 'month' | 'day'): Intl.DateTimeFormat {
  const key = `${intl}\0${kind}`;
  let format = formatters.get(key);
  if (!format) {
    const day = kind === 'day' ? ({ day: 'numeric' } as const) : {};
    format = new Intl.DateTimeFormat(intl, { ...day, month: 'long', year: 'numeric', timeZone: 'UTC' });
    formatters.set(key, format);
  }
  return format;
}
