import type { ParsedIssue } from '../model.ts';
import type { Failure } from './failure.ts';
import { html } from './html.ts';
import { configBanner, counts, layout, status } from './layout.ts';
import type { IssueView } from './view.ts';

/** What the start page lists per issue. */
export interface IssueRow {
  id: string;
  parsed: ParsedIssue | undefined;
  view: IssueView | undefined;
}

/** The start page: every issue, drafts included, with status and message counts. */
export function startPage(rows: readonly IssueRow[], configFailure: Failure | undefined): string {
  const body = html`<header class="bar"><h1>Förhandsvisning av nyhetsbrevet</h1></header>
    <main>
      ${configBanner(configFailure)}
      <h2>Alla nummer (${rows.length})</h2>
      ${
        rows.length === 0
          ? html`<p class="empty">Inga nummer ännu. Skapa ett med <code>nyhetsbrev new</code>.</p>`
          : html`<table>
              <thead>
                <tr>
                  <th scope="col">Nummer</th>
                  <th scope="col">Rubrik</th>
                  <th scope="col">Datum</th>
                  <th scope="col">Status</th>
                  <th scope="col">Meddelanden</th>
                </tr>
              </thead>
              <tbody>
                ${[...rows].reverse().map(
                  ({ id, parsed, view }) =>
                    html`<tr id="issue-${id}">
                      <td><a href="/issues/${encodeURIComponent(id)}/">${id}</a></td>
                      <td>${parsed?.meta.title ?? '–'}</td>
                      <td>${parsed?.meta.date ?? '–'}</td>
                      <td>${status(parsed)}</td>
                      <td>
                        ${counts(view?.result?.summary ?? (view?.failure ? { errors: 1, warnings: 0, infos: 0 } : undefined))}
                      </td>
                    </tr> `,
                )}
              </tbody>
            </table>`
      }
    </main>`;
  return layout('Förhandsvisning – nyhetsbrev', body).value;
}

/** A page for an id that is not in the archive. */
export function notFoundPage(id: string): string {
  return layout(
    'Numret finns inte – förhandsvisning',
    html`<header class="bar">
        <a href="/">← Alla nummer</a>
        <h1>Numret ${id} finns inte</h1>
      </header>
      <main>
        <p>
          Det finns ingen mapp <code>${id}</code> i arkivet. Skapa numret med
          <code>nyhetsbrev new ${id}</code>.
        </p>
      </main>`,
  ).value;
}
