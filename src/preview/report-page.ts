import { existsSync } from 'node:fs';
import type { Hono } from 'hono';
import { openStore } from '../audience/index.ts';
import type { Config } from '../config/schema.ts';
import { isUserError, type UserError } from '../errors.ts';
import { issueReport, type CampaignReport, type IssueReport } from '../report/issue-report.ts';
import type { ScheduleStatus } from '../schedule/store.ts';
import { formatIn } from '../schedule/when.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import type { Workspace } from './workspace.ts';

/** `GET /issues/:id/report`: the report of `nyhetsbrev report <id>`, for an issue that was sent. */
export function reportRoutes(app: Hono, workspace: Workspace): void {
  app.get('/issues/:id/report', (c) => {
    const id = c.req.param('id');
    const found = readReport(workspace.config, id);
    if (found instanceof Error) return c.html(page(id, problem(found)), 503);
    if (!found)
      return c.html(page(id, html`<p>Numret har inte skickats, och inget utskick är schemalagt.</p>`), 404);
    return c.html(page(id, reportBody(found)), 200, { 'cache-control': 'no-store' });
  });
}

/** The report, undefined when nothing is recorded (no database, or no send of the issue). */
function readReport(config: Config, id: string): IssueReport | UserError | undefined {
  if (!existsSync(config.database)) return undefined;
  try {
    const store = openStore(config.database);
    try {
      return issueReport(store, id);
    } finally {
      store.close();
    }
  } catch (error) {
    if (!isUserError(error)) throw error;
    return error.name === 'NotSent' ? undefined : error;
  }
}

function page(id: string, body: SafeHtml): string {
  return layout(
    `Utskicket av ${id} – förhandsvisning`,
    html`<header class="bar">
        <a href="/issues/${encodeURIComponent(id)}/">← Numret</a>
        <h1>Utskicket av ${id}</h1>
      </header>
      <main>${body}</main>`,
  ).value;
}

const STATUS: Record<CampaignReport['status'], string> = {
  complete: 'klart',
  stopped: 'stoppat – kan återupptas',
  sending: 'pågår (eller avbröts utan besked)',
};

const SCHEDULE: Record<ScheduleStatus, string> = {
  scheduled: 'väntar',
  running: 'pågår',
  sent: 'skickat',
  failed: 'misslyckades',
  cancelled: 'avbokat',
};

function reportBody(report: IssueReport): SafeHtml {
  const c = report.campaign;
  return html`${c ? campaignTable(c) : html`<p>Ingen har fått numret: utskicket har inte startat.</p>`}
    ${
      report.schedule
        ? html`<h2>Schemalagt</h2>
            <p>
              ${when(report.schedule.dueAt)}:
              ${SCHEDULE[report.schedule.status]}${
                report.schedule.outcome ? html` – <code>${report.schedule.outcome}</code>` : ''
              }
            </p>`
        : ''
    }
    <p>
      <strong>Öppningar och klick mäts inte, med avsikt:</strong> breven har inga spårningspixlar och inga
      omdirigerade länkar.
    </p>`;
}

function campaignTable(c: CampaignReport): SafeHtml {
  const { timing: t, recipients: r, provider: p, since } = c;
  const rows: [string, string | number][] = [
    ['Ämnesrad', c.subject],
    ['Status', STATUS[c.status]],
    ['Listor', c.lists.join(', ')],
    ['Transport', c.transport ?? '–'],
    ['Startade', t.startedAt ? when(t.startedAt) : '–'],
    ['Avslutades', t.finishedAt ? when(t.finishedAt) : '–'],
    ['Takt', t.emailsPerSecond === null ? '–' : `${t.emailsPerSecond} brev per sekund (pauser inräknade)`],
    ['Mottagare (frysta)', r.frozen],
    ['Skickade', r.sent],
    ['Misslyckade', r.failed],
    ['Osäkra', r.uncertain],
    ['Överhoppade', r.skipped],
    ['Inte skickade än', r.notSentYet],
    ['Levererade', p.delivered],
    ['Studsade, hårda', p.bounced.hard],
    ['Studsade, mjuka', p.bounced.soft],
    ['Klagomål', p.complained],
    ['Utan leveransbesked', p.noEvent],
    ['Avregistrerade sedan dess', since.unsubscribed],
    ['Raderade på begäran sedan dess', since.forgotten],
  ];
  return html`<table>
    <caption>
      Kampanj ${c.ref}. Leveransbesked kommer från leverantörens webhooks (Resend); utkorgen och SMTP ger
      inga.
    </caption>
    <tbody>
      ${rows.map(
        ([label, value]) =>
          html`<tr>
            <th scope="row">${label}</th>
            <td>${value}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function problem(error: UserError): SafeHtml {
  return html`<div class="banner" role="alert">
    <p><strong>Databasen kan inte läsas.</strong> ${error.message}</p>
    ${error.hint ? html`<p>${error.hint}</p>` : ''}
  </div>`;
}

/** Swedish time of an instant: `2026-12-10 08:00 (svensk tid)`. */
function when(iso: string): string {
  return `${formatIn(iso).slice(0, 16)} (svensk tid)`;
}
