import { formatIn } from '../schedule/when.ts';
import type { CampaignReport, IssueReport, ScheduleReport } from './issue-report.ts';

/** The report of one issue, as `nyhetsbrev report <id>` prints it. */
export function formatReport(report: IssueReport): string {
  const { campaign } = report;
  const lines: string[] = [];
  if (campaign) {
    const via = campaign.transport ? `, via ${campaign.transport}` : '';
    lines.push(
      `Report for ${report.issueId} "${campaign.subject}" (campaign ${campaign.ref}, lists: ${campaign.lists.join(', ')}${via})`,
      row('status', campaign.status === 'complete' ? 'complete' : describeUnfinished(campaign)),
      row('send', describeTiming(campaign)),
      row('recipients', describeRecipients(campaign.recipients)),
      row('provider', describeProvider(campaign.provider)),
      row(
        'since then',
        `${campaign.since.unsubscribed} of the recipients unsubscribed, ${campaign.since.forgotten} were forgotten (erased on request)`,
      ),
    );
  } else {
    lines.push(`Report for ${report.issueId}`, row('status', 'not sent: nobody was frozen for it'));
  }
  if (report.schedule) lines.push(row('scheduled', describeSchedule(report.schedule)));
  lines.push(report.note);
  return lines.join('\n');
}

/** Every issue sent, one line each, the latest first (`nyhetsbrev report` without an id). */
export function formatReportList(reports: readonly IssueReport[]): string {
  if (reports.length === 0)
    return 'Nothing has been sent yet. After a send, `nyhetsbrev report <id>` shows how it went.';
  const lines = reports.map((report) => {
    const c = report.campaign!;
    const when = c.timing.startedAt ?? c.timing.frozenAt;
    const bounced = c.provider.bounced.hard + c.provider.bounced.soft;
    return `${report.issueId.padEnd(10)} ${when ? formatIn(when).slice(0, 16) : '–'.padEnd(16)}  ${c.status.padEnd(8)}  ${c.recipients.sent} sent, ${c.recipients.failed} failed, ${c.provider.delivered} delivered, ${bounced} bounced, ${c.provider.complained} complained, ${c.since.unsubscribed} unsubscribed since`;
  });
  return [
    ...lines,
    `${reports.length} issue(s) sent (times in Europe/Stockholm). \`nyhetsbrev report <id>\` shows one in full.`,
    reports[0]!.note,
  ].join('\n');
}

function describeUnfinished(campaign: CampaignReport): string {
  const { notSentYet, uncertain } = campaign.recipients;
  const open = [
    notSentYet > 0 ? `${notSentYet} not sent yet` : '',
    uncertain > 0 ? `${uncertain} uncertain` : '',
  ].filter(Boolean);
  const state = campaign.status === 'sending' ? 'sending (or a run ended without a word)' : 'stopped';
  return `${state}${open.length > 0 ? `: ${open.join(', ')}` : ''}; \`nyhetsbrev send <id>\` resumes it`;
}

function describeTiming(campaign: CampaignReport): string {
  const { startedAt, finishedAt, seconds, emailsPerSecond } = campaign.timing;
  if (!startedAt) return 'no email has gone out yet';
  const pace =
    seconds === null
      ? ''
      : `; ${campaign.recipients.sent} emails in ${seconds.toFixed(1)} s${emailsPerSecond === null ? '' : ` (${emailsPerSecond} emails/s, pauses included)`}`;
  const [start, end] = [formatIn(startedAt), finishedAt ? formatIn(finishedAt) : '–'];
  // The same day: the end's time of day says it.
  const shortEnd = end.slice(0, 10) === start.slice(0, 10) ? end.slice(11, 16) : end;
  return `started ${start}, ended ${shortEnd}${pace}`;
}

function describeRecipients(r: CampaignReport['recipients']): string {
  const rest = r.notSentYet > 0 ? `, ${r.notSentYet} not sent yet` : '';
  return `${r.frozen} frozen: ${r.sent} sent, ${r.failed} failed, ${r.uncertain} uncertain, ${r.skipped} skipped${rest}`;
}

function describeProvider(p: CampaignReport['provider']): string {
  const heard = p.delivered + p.bounced.hard + p.bounced.soft + p.delayed + p.suppressed + p.failed;
  if (heard === 0)
    return `no delivery events for the ${p.noEvent} sent (they come from Resend's webhooks to \`serve\`; the outbox and SMTP send none)`;
  const extra = [
    p.delayed > 0 ? `${p.delayed} delayed` : '',
    p.suppressed > 0 ? `${p.suppressed} suppressed by the provider` : '',
    p.failed > 0 ? `${p.failed} failed at the provider` : '',
    p.noEvent > 0 ? `no event yet for ${p.noEvent}` : '',
  ].filter(Boolean);
  return `${p.delivered} delivered, ${p.bounced.hard + p.bounced.soft} bounced (${p.bounced.hard} hard, ${p.bounced.soft} soft), ${p.complained} complained${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`;
}

/** `due 2026-12-10 08:00 Europe/Stockholm (07:00 UTC): failed — SendRefused: …`. */
export function describeSchedule(schedule: ScheduleReport): string {
  return `due ${formatIn(schedule.dueAt, schedule.zone)}: ${schedule.status}${schedule.outcome ? ` — ${schedule.outcome}` : ''}`;
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(12)}${value}`;
}
