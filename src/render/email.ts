import type { VFile } from 'vfile';
import type { Config } from '../config/schema.ts';
import { calendarUrl } from '../assemble/calendar.ts';
import { stringsFor } from '../locale.ts';
import type { Issue } from '../model.ts';
import { report } from '../report/message.ts';
import { emailAnchors, emailContentHtml } from './email-content.ts';
import { compileMjml, EMAIL_MJML_OPTIONS } from './mjml.ts';
import { TOKENS } from './personalise.ts';
import { loadTemplate } from './templates.ts';
import { renderText } from './text.ts';
import type { LogoImage } from '../theme/load.ts';

/** A rendered email with recipient tokens still in place (see `personalise`). */
export interface RenderedEmail {
  subject: string;
  preheader: string;
  html: string;
  text: string;
  /** The MJML source the HTML was compiled from (for `check` and debugging). */
  mjml: string;
}

/** The data the email template gets; every field is present (strict templates). */
export function emailData(issue: Issue, config: Config) {
  const base = issue.url;
  const anchors = emailAnchors(issue);
  return {
    lang: config.locale,
    strings: stringsFor(config.locale),
    organisation: config.organisation,
    newsletter: config.newsletter,
    ...emailTheme(config),
    subject: issue.meta.subject,
    preheader: issue.meta.preheader,
    title: issue.meta.title,
    monthLabel: issue.meta.monthLabel,
    editor: issue.meta.editor,
    introHtml: emailContentHtml(issue.intro.hast, issue.images, base, anchors),
    toc: issue.toc.map((entry) => ({ ...entry, slug: anchors(entry.slug) })),
    sections: issue.sections.map((section) => ({
      title: section.title,
      slug: anchors(section.slug),
      html: emailContentHtml(section.body.hast, issue.images, base, anchors),
      calendarUrl: calendarUrl(issue, section.slug),
    })),
    teasers: issue.teasers.email,
    footer: config.footer,
    webUrl: issue.url,
    unsubscribeUrl: TOKENS.unsubscribeUrl,
    preferencesUrl: TOKENS.preferencesUrl,
  };
}

/**
 * The theme's part of the email data: both palettes, the font stack, and the logo (undefined
 * without one) as the masthead takes it, at absolute URLs of the copies the build puts in the archive.
 */
export function emailTheme(config: Config) {
  const { colors, font, logo } = config.theme;
  const image = (variant: LogoImage) => ({
    src: new URL(variant.path, config.baseUrl).href,
    alt: logo?.alt ?? '',
    width: variant.width,
    height: variant.height,
  });
  return { colors, font, logo: logo && { light: image(logo.email.light), dark: image(logo.email.dark) } };
}

/**
 * Renders the email: Handlebars (strict) → MJML 5 → HTML, plus the plain-text part from the tree.
 * MJML validation problems become messages on `issue.md` (rule `mjml`).
 */
export async function renderEmail(issue: Issue, config: Config): Promise<RenderedEmail> {
  const mjml = loadTemplate('email', 'issue.mjml.hbs', { partials: config.theme.partials.email })(
    emailData(issue, config),
  );
  const result = await compileMjml(mjml, EMAIL_MJML_OPTIONS);
  const issueFile = issue.files[0] as VFile;
  for (const error of result.errors) {
    report(issueFile, `MJML: ${error.message}`, {
      ruleId: 'mjml',
      place: { line: 1, column: 1 },
      hint: `Template line ${error.line}; check templates/email/ (tag ${error.tagName}).`,
    });
  }
  return {
    subject: issue.meta.subject,
    preheader: issue.meta.preheader,
    html: result.html,
    text: renderText(issue, config),
    mjml,
  };
}
