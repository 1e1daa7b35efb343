import { ERROR_NAMES, ERROR_TITLES } from './names.ts';

/** README's troubleshooting table (Markdown): every permanent error name and what it means. */
export function errorsTable(): string {
  const rows = ERROR_NAMES.map((name) => `| \`${name}\` | ${ERROR_TITLES[name]} |`);
  return ['| error name | meaning and what to do |', '| --- | --- |', ...rows].join('\n');
}
