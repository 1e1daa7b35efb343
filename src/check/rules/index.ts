import type { Rule } from '../rule.ts';
import { dateFolder } from './date-folder.ts';
import { draft } from './draft.ts';
import { duplicateSectionTitle } from './duplicate-section-title.ts';
import { emailSize } from './email-size.ts';
import { footnote } from './footnote.ts';
import { headingOrder } from './heading-order.ts';
import { imageAlt } from './image-alt.ts';
import { imageFile } from './image-file.ts';
import { kalendarium } from './kalendarium.ts';
import { linkText } from './link-text.ts';
import { linkUrl } from './link-url.ts';
import { mjml } from './mjml.ts';
import { placeholder } from './placeholder.ts';
import { preheaderLength } from './preheader-length.ts';
import { styleSize } from './style-size.ts';
import { themeContrast } from './theme-contrast.ts';

/**
 * The check rules, in the order they run. Their ids are permanent. README's rule table and
 * `nyhetsbrev check --help` are made from this list (with {@link PARSE_RULES}).
 */
export const RULES: readonly Rule[] = [
  imageAlt,
  headingOrder,
  linkText,
  linkUrl,
  placeholder,
  footnote,
  duplicateSectionTitle,
  kalendarium,
  imageFile,
  dateFolder,
  preheaderLength,
  emailSize,
  styleSize,
  mjml,
  themeContrast,
  draft,
];

/** What the docs say about a rule: its id, what it checks and the severities of its messages. */
export type RuleDoc = Pick<Rule, 'id' | 'description' | 'severity'>;

/**
 * Rules of the read and parse stages, whose messages `check` reports too (`image-file` reports a
 * missing image there, and the rest of its checks in {@link RULES}).
 */
export const PARSE_RULES: readonly RuleDoc[] = [
  {
    id: 'read',
    description: 'the issue folder and its files can be read; it has an `issue.md`',
    severity: ['error'],
  },
  { id: 'encoding', description: 'files are UTF-8', severity: ['error'] },
  {
    id: 'front-matter',
    description: 'required keys, types and dates; an unknown key or no `editor:` warns',
    severity: ['error', 'warning'],
  },
  { id: 'intro', description: '`issue.md` has an editorial intro', severity: ['warning'] },
  { id: 'section-title', description: 'each section has a `# Title` or `title:`', severity: ['error'] },
  { id: 'section-empty', description: 'no empty section files', severity: ['error'] },
  {
    id: 'fact-box',
    description: 'a `:::fakta[Titel]` box is named `fakta`, starts with no space after `:::` and is closed',
    severity: ['warning'],
  },
  {
    id: 'no-html',
    description: 'no raw HTML in Markdown (it is left out of the output)',
    severity: ['warning'],
  },
];
