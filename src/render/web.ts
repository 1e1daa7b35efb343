import type { Config } from '../config/schema.ts';
import { stringsFor } from '../locale.ts';
import type { Issue, ParsedIssue } from '../model.ts';
import { toTeaser } from '../assemble/index.ts';
import { contentHtml } from './html.ts';
import { loadTemplate } from './templates.ts';

function common(config: Config, root: string) {
  return {
    lang: config.locale,
    strings: stringsFor(config.locale),
    organisation: config.organisation,
    newsletter: config.newsletter,
    root,
  };
}

/**
 * Renders an issue's archive page (`<id>/index.html`): same content as the email, the table of
 * contents as navigation, teasers of the newest other issues. Links are relative, so the site
 * works under any base path.
 */
export function renderIssuePage(issue: Issue, config: Config): string {
  const root = '../';
  return loadTemplate('web', 'issue.hbs')({
    ...common(config, root),
    pageTitle: `${issue.meta.title} – ${config.newsletter} ${issue.meta.monthLabel}`,
    description: issue.meta.preheader,
    canonical: issue.url,
    draft: issue.meta.status === 'draft',
    monthLabel: issue.meta.monthLabel,
    title: issue.meta.title,
    editor: issue.meta.editor,
    introHtml: contentHtml(issue.intro.hast, issue.images, undefined),
    toc: issue.toc,
    sections: issue.sections.map((section) => ({
      title: section.title,
      slug: section.slug,
      html: contentHtml(section.body.hast, issue.images, undefined),
    })),
    teasers: issue.teasers.web.map((teaser) => ({ ...teaser, href: `${root}${encodeURIComponent(teaser.id)}/` })),
  });
}

/** Renders the archive index: issues newest first, grouped by year. */
export function renderIndexPage(issues: readonly ParsedIssue[], config: Config): string {
  const years: { year: string; issues: object[] }[] = [];
  for (const issue of issues) {
    const year = issue.meta.date.slice(0, 4);
    let group = years.at(-1);
    if (group?.year !== year) years.push((group = { year, issues: [] }));
    group.issues.push({
      ...toTeaser(issue, config),
      href: `${encodeURIComponent(issue.id)}/`,
      draft: issue.meta.status === 'draft',
    });
  }
  const strings = stringsFor(config.locale);
  return loadTemplate('web', 'index.hbs')({
    ...common(config, ''),
    pageTitle: `${strings.archiveTitle} – ${config.newsletter}`,
    description: config.newsletter,
    canonical: new URL('./', config.baseUrl).href,
    years,
  });
}

