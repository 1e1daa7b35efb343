import type { Command } from 'commander';
import { configOf } from '../context.ts';
import { printJson } from '../json.ts';

/** Registers `nyhetsbrev report [id] [--json]`: how a send went, in counts; no tracking. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'how an issue’s send went: recipients, delivery events, unsubscribes since (no opens or clicks: not measured, by design)',
    )
    .argument('[id]', 'issue id (default: one line per issue sent)')
    .option('--json', 'print JSON', false)
    .action(async (id: string | undefined, options: { json: boolean }, command: Command) => {
      const { databaseError, openStore } = await import('../../audience/index.ts');
      const { allReports, issueReport } = await import('../../report/issue-report.ts');
      const { formatReport, formatReportList } = await import('../../report/issue-report-text.ts');
      const config = configOf(command);
      const store = openStore(config.database);
      try {
        if (id === undefined) {
          const reports = allReports(store);
          if (options.json) printJson(reports);
          else process.stdout.write(`${formatReportList(reports)}\n`);
        } else {
          const report = issueReport(store, id);
          if (options.json) printJson(report);
          else process.stdout.write(`${formatReport(report)}\n`);
        }
      } catch (error) {
        throw databaseError(error, config.database);
      } finally {
        store.close();
      }
    });
}
