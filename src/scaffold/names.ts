import { slug } from 'github-slugger';

/** Longest slug part of a file name: enough to recognise a section in a folder listing. */
const MAX_SLUG = 40;

/**
 * The slug of a title for a file name: GitHub's slug (as anchors are made) with the Swedish
 * letters folded to ASCII (`Höstkonferensen` → `hostkonferensen`), so names survive zip files,
 * mail attachments and every file system, cut at a hyphen to at most 40 characters.
 * `fallback` when nothing is left (a title of only signs).
 */
export function fileSlug(title: string, fallback = 'avsnitt'): string {
  const ascii = slug(title)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (ascii.length <= MAX_SLUG) return ascii || fallback;
  const cut = ascii.slice(0, MAX_SLUG + 1);
  const hyphen = cut.lastIndexOf('-');
  return (hyphen > 10 ? cut.slice(0, hyphen) : ascii.slice(0, MAX_SLUG)).replace(/-$/, '');
}

/**
 * The file name of the section numbered `number` (1-based), `NN-slug.md` as the issue folders are
 * written (`01-kalendarium.md`): numbers are zero-padded to `width` digits (at least 2), so the
 * byte order the pipeline reads sections in is the number order.
 */
export function sectionFileName(number: number, title: string, width = 2): string {
  return `${String(number).padStart(Math.max(2, width), '0')}-${fileSlug(title)}.md`;
}

/** The number a section file name starts with (`05-kalendarium.md` → 5), with its digit count. */
export function sectionNumber(name: string): { number: number; width: number } | undefined {
  const match = /^(\d+)-/.exec(name);
  return match ? { number: Number(match[1]), width: match[1]!.length } : undefined;
}
