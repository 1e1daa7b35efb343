import type { ParsedIssue } from '../model.ts';
import type { Summary } from '../report/reporter.ts';
import { html, type SafeHtml } from './html.ts';
import type { Failure } from './failure.ts';

/** The frame of every preview page: Swedish, the preview's styles and its live-reload script. */
export function layout(title: string, body: SafeHtml, issue?: { id: string; version: number }): SafeHtml {
  return html`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/_preview/preview.css">
</head>
<body${issue ? html` data-issue="${issue.id}" data-version="${issue.version}"` : ''}>
${body}
<script src="/_preview/client.js"></script>
</body>
</html>
`;
}

/** "2 fel · 1 varning", or "kontrolleras…" before the first check. */
export function counts(summary: Summary | undefined): SafeHtml {
  if (!summary) return html`<span class="counts">kontrolleras…</span>`;
  return html`<span class="counts"
    ><span class="${summary.errors ? 'errors' : ''}">${summary.errors} fel</span> ·
    <span class="${summary.warnings ? 'warnings' : ''}"
      >${summary.warnings} ${summary.warnings === 1 ? 'varning' : 'varningar'}</span
    ></span
  >`;
}

/** The status badge: Utkast, Klar, or "kan inte läsas" when issue.md is unusable. */
export function status(parsed: ParsedIssue | undefined): SafeHtml {
  if (!parsed) return html`<span class="status status-broken">kan inte läsas</span>`;
  return parsed.meta.status === 'draft'
    ? html`<span class="status status-draft">Utkast</span>`
    : html`<span class="status">Klar</span>`;
}

/** A banner while the config file on disk is invalid. */
export function configBanner(failure: Failure | undefined): SafeHtml {
  if (!failure) return html``;
  return html`<div class="banner" role="alert">
    <strong>Konfigurationen har fel – den förra används tills vidare.</strong> ${failureText(failure)}
  </div>`;
}

/** A failure (template error, bug) as title, place, message and hint. */
export function failureText(failure: Failure): SafeHtml {
  return html`<p>
      <strong>${failure.title}</strong>${failure.place ? html` <code>${failure.place}</code>` : ''}
    </p>
    <pre>${failure.message}</pre>
    ${failure.hint ? html`<p>${failure.hint}</p>` : ''}`;
}
