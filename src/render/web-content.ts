import type { Root } from 'hast';
import type { Config } from '../config/schema.ts';
import { stringsFor } from '../locale.ts';
import type { ImageAsset, ParsedIssue } from '../model.ts';
import { copyTree, ownedContentHtml } from './html.ts';
import rehypeExternalLinks from './rehype-external-links.ts';
import rehypeWebTables from './rehype-web-tables.ts';

// Apart from web.ts so that compile workers need not load the page templates (Handlebars).

/** The content HTML of an issue page: the intro and each section, in order. */
export interface IssuePageHtml {
  intro: string;
  sections: string[];
}

/**
 * The content HTML of an issue's archive page. It depends on the issue's own files and the config
 * only (not on other issues), so a build can compute it once and keep it while the files stay
 * the same (see `src/cache`).
 */
export function issuePageHtml(
  issue: Pick<ParsedIssue, 'intro' | 'sections' | 'images'>,
  config: Config,
): IssuePageHtml {
  return {
    intro: webHtml(issue.intro.hast, issue.images, config),
    sections: issue.sections.map((section) => webHtml(section.body.hast, issue.images, config)),
  };
}

// Content HTML for a web page: relative image URLs, tables in scroll regions, external links marked.
function webHtml(tree: Root, images: ImageAsset[], config: Config): string {
  const copy = copyTree(tree);
  const strings = stringsFor(config.locale);
  rehypeWebTables({ label: strings.table })(copy);
  if (config.externalLinks.mark) {
    const hosts = [new URL(config.baseUrl).hostname, ...config.externalLinks.sameSite];
    rehypeExternalLinks({ hosts, text: strings.externalLink, icon: config.externalLinks.icon })(copy);
  }
  return ownedContentHtml(copy, images, undefined);
}
