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

export { PARSE_RULES } from './parse-stage.ts';
export type { RuleDoc } from '../rule.ts';

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
