import type { Command } from 'commander';

/** Declares `nyhetsbrev report [id] [--json]`; src/cli/actions/report.ts runs it. */
export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'how an issue’s send went: recipients, delivery events, unsubscribes since (no opens or clicks: not measured, by design)',
    )
    .argument('[id]', 'issue id (default: one line per issue sent)')
    .option('--json', 'print JSON (README → Machine-readable output)', false)
    .action(async (id: string | undefined, options: { json: boolean }, command: Command) =>
      (await import('../actions/report.ts')).report(id, options, command),
    );
}
