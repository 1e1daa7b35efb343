import type { Command } from 'commander';
import { databaseError, openStore } from '../../audience/index.ts';
import { formatReport, formatReportList } from '../../report/issue-report-text.ts';
import { allReports, issueReport } from '../../report/issue-report.ts';
import { configOf } from '../context.ts';
import { printJson } from '../json.ts';

/** `nyhetsbrev report [id]`: one issue's report in full, or one line per issue sent. */
export function report(id: string | undefined, options: { json: boolean }, command: Command): void {
  const config = configOf(command);
  const store = openStore(config.database);
  try {
    if (id === undefined) {
      const reports = allReports(store);
      if (options.json) printJson(reports);
      else process.stdout.write(`${formatReportList(reports)}\n`);
    } else {
      const found = issueReport(store, id);
      if (options.json) printJson(found);
      else process.stdout.write(`${formatReport(found)}\n`);
    }
  } catch (error) {
    throw databaseError(error, config.database);
  } finally {
    store.close();
  }
}
