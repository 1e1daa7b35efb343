import type { Config } from '../config/schema.ts';
import { longDate, stringsFor } from '../locale.ts';
import type { Issue, Section, Teaser } from '../model.ts';
import { calendarHref } from '../assemble/calendar.ts';
import { toTeaser, type IssueSummary } from '../assemble/index.ts';
import type { LogoImage } from '../theme/load.ts';
import { loadTemplate } from './templates.ts';
import type { IssuePageHtml } from './web-content.ts';

export { issuePageHtml, type IssuePageHtml } from './web-content.ts';

/** Which item of the site navigation a page is (marked `aria-current="page"`). */
export type WebSection = 'archive' | 'search' | 'subscribe' | 'statement' | 'none';

/** What every page's layout needs besides its own fields. */
export interface PageFrame {
  /** Relative path from the page to the site root: `''`, `'../'`, `'../../'`. */
  root: string;
  pageTitle: string;
  description: string;
  /** Absolute URL of the page under the base URL. */
  canonical: string;
  current: WebSection;
  /** Drafts and search pages ask robots not to index them. */
  noindex?: boolean;
}

/**
 * Renders `templates/web/<name>` inside the shared layout (skip link, landmarks, the theme's header
 * with the site navigation and its footer with the accessibility statement). Throws `TemplateError` when a field is missing.
 */
export function renderWebPage(name: string, frame: PageFrame, data: object, config: Config): string {
  const current = { archive: false, search: false, subscribe: false, statement: false, none: false };
  current[frame.current] = true;
  return loadTemplate('web', name, { partials: config.theme.partials.web })({
    lang: config.locale,
    strings: stringsFor(config.locale),
    organisation: config.organisation,
    newsletter: config.newsletter,
    logo: config.theme.logo && {
      alt: config.theme.logo.alt,
      light: logoImage(config.theme.logo.light),
      dark: logoImage(config.theme.logo.dark),
    },
    noindex: false,
    siteSearch: config.search.enabled,
    ...frame,
    current,
    ...data,
  });
}

// What a page needs of a logo file: its path under the site root and the size shown.
function logoImage({ path, width, height }: LogoImage) {
  return { path, width, height };
}

/** What an issue page shows besides its content HTML (an assembled issue has it all). */
export type PageIssue = Pick<Issue, 'meta' | 'url' | 'toc' | 'previous' | 'next' | 'teasers' | 'events'> & {
  sections: readonly Pick<Section, 'title' | 'slug'>[];
};

/**
 * Renders an issue's archive page (`<id>/index.html`) around its content HTML (`issuePageHtml`):
 * the same content as the email, the table of contents as navigation, previous/next issue,
 * teasers of the newest other issues. Links are relative, so the site works under any base path.
 */
export function renderIssuePage(issue: PageIssue, html: IssuePageHtml, config: Config): string {
  const root = '../';
  const link = (teaser: Teaser | undefined) =>
    teaser && { ...teaser, href: `${root}${encodeURIComponent(teaser.id)}/` };
  const draft = issue.meta.status === 'draft';
  const frame: PageFrame = {
    root,
    pageTitle: `${issue.meta.title} – ${issue.meta.monthLabel}`,
    description: issue.meta.preheader,
    canonical: issue.url,
    current: 'none',
    noindex: draft,
  };
  return renderWebPage(
    'issue.hbs',
    frame,
    {
      draft,
      monthLabel: issue.meta.monthLabel,
      date: issue.meta.date,
      longDate: longDate(issue.meta.date, config.locale),
      title: issue.meta.title,
      editor: issue.meta.editor,
      introHtml: html.intro,
      toc: issue.toc,
      sections: issue.sections.map((section, index) => ({
        title: section.title,
        slug: section.slug,
        html: html.sections[index],
        calendarHref: calendarHref(issue, section.slug),
      })),
      pager: Boolean(issue.previous ?? issue.next),
      previous: link(issue.previous),
      next: link(issue.next),
      teasers: issue.teasers.web.map(link),
    },
    config,
  );
}

/** One year of the archive: its issues newest first. */
export interface YearGroup {
  year: string;
  issues: IssueSummary[];
}

/** Options of {@link renderIndexPage}: where the page is, and the year navigation when paged. */
export interface IndexPageOptions {
  /** `undefined`: the archive front page; a year: that year's page (`arkiv/<year>/`). */
  year: string | undefined;
  /** Every year with its issue count, for the year navigation; empty when the archive is one page. */
  allYears: { year: string; count: number }[];
}

/** Renders the archive front page or a year page: issues newest first, grouped by year. */
export function renderIndexPage(
  groups: readonly YearGroup[],
  config: Config,
  options?: IndexPageOptions,
): string {
  const { year, allYears } = options ?? { year: undefined, allYears: [] };
  const strings = stringsFor(config.locale);
  const root = year ? '../../' : '';
  const heading = year ? strings.yearTitle.replace('{year}', year) : strings.archiveTitle;
  const path = year ? `arkiv/${year}/` : '';
  const frame: PageFrame = {
    root,
    pageTitle: `${heading} – ${config.newsletter}`,
    description: year
      ? strings.yearIntro.replace('{year}', year)
      : `${config.newsletter}: ${strings.archiveIntro}`,
    canonical: new URL(path, config.baseUrl).href,
    current: year ? 'none' : 'archive',
  };
  return renderWebPage(
    'index.hbs',
    frame,
    {
      heading,
      intro: year ? strings.yearIntro.replace('{year}', year) : strings.archiveIntro,
      years: groups.map((group) => ({
        year: group.year,
        issues: group.issues.map((issue) => ({
          ...toTeaser(issue, config),
          href: `${root}${encodeURIComponent(issue.id)}/`,
          draft: issue.meta.status === 'draft',
        })),
      })),
      yearLinks: allYears.map((entry) => ({
        ...entry,
        href: `${root}arkiv/${entry.year}/`,
        current: entry.year === year,
      })),
    },
    config,
  );
}
