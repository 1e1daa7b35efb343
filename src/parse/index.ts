import GithubSlugger from 'github-slugger';
import { anchorId } from './rehype-heading-ids.ts';
import type { Root as MdastRoot, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import type * as z from 'zod';
import type { Config } from '../config/schema.ts';
import { monthLabel, stringsFor } from '../locale.ts';
import type { Body, ImageAsset, ParsedIssue, Section } from '../model.ts';
import type { RawIssue } from '../read/index.ts';
import { report } from '../report/message.ts';
import { excerpt } from '../text/excerpt.ts';
import { editorSignature } from './editor-signature.ts';
import { issueEvents } from './kalendarium.ts';
import { issueFrontMatter, readFrontMatter, sectionFrontMatter } from './front-matter.ts';
import { markdownToHast, parseMarkdown } from './markdown.ts';
import remarkFactBox from './remark-fact-box.ts';
import remarkImages from './remark-images.ts';
import remarkNoHtml from './remark-no-html.ts';
import remarkSectionTitle from './remark-section-title.ts';
import remarkShiftHeadings from './remark-shift-headings.ts';
import remarkSignatureBreaks from './remark-signature-breaks.ts';

/** Anchor ids the templates use themselves; sections that slug to these get a suffix. */
export const RESERVED_IDS = [
  'innehall',
  'ledare',
  'i-detta-nummer',
  'fler-nyhetsbrev',
  'sidfot',
  'navigering',
];

/** The result of parsing one issue: the issue, or undefined when `issue.md` is unusable. */
export interface ParseResult {
  issue: ParsedIssue | undefined;
  files: VFile[];
}

/**
 * Parses an issue folder: validates front matter, turns each section into mdast + hast with
 * unique anchors, and collects images. Problems are messages on the files; a section with an
 * error is left out, and the issue is undefined when `issue.md` itself is unusable.
 */
export function parseIssue(raw: RawIssue, config: Config): ParseResult {
  const files = [raw.issueFile, ...raw.sectionFiles];
  const context = issueContext(raw, config);
  const introTree = parseMarkdown(raw.issueFile);
  const front = issueFront(raw.issueFile, introTree);
  const sections = raw.sectionFiles.flatMap((file) => parseSection(file, context) ?? []);
  if (!front) return { issue: undefined, files };
  const { intro, introText, meta } = parseIntro(raw, front, introTree, context, config);
  const images = [...context.assets.values()];
  const events = issueEvents(sections, front.date);
  return {
    issue: { id: raw.id, dir: raw.dir, meta, intro, introText, sections, images, events, files },
    files,
  };
}

/**
 * What the rest of the archive needs of an issue (`IssueSummary`: id, front matter, intro text),
 * from its `issue.md` alone, made as {@link parseIssue} makes them: for the issues around the ones
 * being checked. Undefined when `issue.md` is unusable (`parseIssue` leaves such an issue out).
 */
export function summariseIssue(raw: Pick<RawIssue, 'id' | 'dir' | 'issueFile'>, config: Config) {
  const context = issueContext(raw, config);
  const introTree = parseMarkdown(raw.issueFile);
  const front = issueFront(raw.issueFile, introTree);
  if (!front) return undefined;
  const { introText, meta } = parseIntro(raw, front, introTree, context, config);
  return { id: raw.id, meta, introText };
}

function issueContext(raw: Pick<RawIssue, 'dir'>, config: Config): Context {
  const slugger = new GithubSlugger();
  for (const id of RESERVED_IDS) slugger.slug(id);
  return { dir: raw.dir, assets: new Map<string, ImageAsset>(), slugger, strings: stringsFor(config.locale) };
}

function issueFront(issueFile: VFile, introTree: MdastRoot): IssueFront | undefined {
  return hasReadErrors(issueFile) ? undefined : readFrontMatter(issueFile, introTree, issueFrontMatter);
}

// The intro, after the sections (they share the slugger and the images).
function parseIntro(
  raw: Pick<RawIssue, 'id' | 'issueFile'>,
  front: IssueFront,
  introTree: MdastRoot,
  context: Context,
  config: Config,
) {
  prepare(introTree, raw.issueFile, context, 'intro');
  const introHast = markdownToHast(introTree, raw.issueFile, {
    ...context,
    prefix: 'ledare-',
    labelTag: 'h2',
  });
  const intro: Body = { mdast: introTree, hast: introHast };
  const introText = plainText(introTree);
  warnIntro(raw.issueFile, introTree, introText, front);
  const meta = issueMeta(raw.id, front, introTree, introText, config);
  return { intro, introText, meta };
}

/** Warnings about the intro: empty, or without an `editor` to sign it. */
function warnIntro(file: VFile, introTree: MdastRoot, introText: string, front: IssueFront): void {
  if (!introText) {
    report(file, 'Unexpected empty editorial intro, expected a few paragraphs after the front matter', {
      ruleId: 'intro',
      severity: 'warning',
      place: { line: introTree.position?.end.line ?? 1, column: 1 },
      hint: 'Write the editorial (ledare) below the closing `---`.',
    });
  }
  if (!front.editor) {
    report(file, 'Missing `editor` in front matter: the intro will have no signature', {
      ruleId: 'front-matter',
      severity: 'warning',
      place: { line: 1, column: 1 },
      hint: 'Add a line such as `editor: Karin Lindqvist, kanslichef`.',
    });
  }
}

/** The issue's metadata: front matter with its defaults (subject from title, preheader from the intro). */
function issueMeta(id: string, front: IssueFront, introTree: MdastRoot, introText: string, config: Config) {
  return {
    id,
    title: front.title,
    date: front.date,
    editor: front.editor === undefined ? '' : editorSignature(introTree, front.editor),
    subject: front.subject ?? front.title,
    preheader: front.preheader ?? excerpt(introText, 90),
    status: front.status,
    monthLabel: monthLabel(front.date, config.locale),
  };
}

type IssueFront = z.output<typeof issueFrontMatter>;

interface Context {
  dir: string;
  assets: Map<string, ImageAsset>;
  slugger: GithubSlugger;
  strings: ReturnType<typeof stringsFor>;
}

function parseSection(file: VFile, context: Context): Section | undefined {
  if (hasReadErrors(file)) return undefined;
  if (String(file.value).trim() === '') {
    report(file, 'Unexpected empty section file, expected a `# Title` and some text', {
      ruleId: 'section-empty',
      place: { line: 1, column: 1 },
      hint: 'Write the section, or delete the file if it is not needed.',
    });
    return undefined;
  }
  const tree = parseMarkdown(file);
  if (hasReadErrors(file)) return undefined;
  const front = readFrontMatter(file, tree, sectionFrontMatter);
  if (!front) return undefined;
  remarkSectionTitle({ title: front.title })(tree, file);
  const title = file.data.title;
  if (!title) return undefined;
  prepare(tree, file, context);
  const slug = anchorId(context.slugger, front.id ?? title, 'avsnitt');
  const hast = markdownToHast(tree, file, { ...context, prefix: `${slug}-`, labelTag: 'h3' });
  return { file, title, slug, summary: front.summary, body: { mdast: tree, hast } };
}

function prepare(
  tree: MdastRoot,
  file: VFile,
  context: Context,
  mode: 'section' | 'intro' = 'section',
): void {
  remarkNoHtml()(tree, file);
  remarkShiftHeadings({ mode })(tree);
  remarkFactBox({ mode, label: context.strings.factBox })(tree, file);
  remarkSignatureBreaks()(tree);
  remarkImages({ dir: context.dir, assets: context.assets })(tree, file);
}

function hasReadErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true);
}

/** The intro's paragraphs as one line of plain text (for excerpts and the preheader). */
export function plainText(tree: MdastRoot): string {
  const blocks = tree.children.filter(
    (node: RootContent) => node.type !== 'yaml' && node.type !== 'footnoteDefinition' && node.type !== 'html',
  );
  return blocks
    .map((node) => toString(node, { includeImageAlt: false }))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
