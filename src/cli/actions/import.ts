import { join, relative } from 'node:path';
import {
  formatImportMessages,
  planImport,
  recoverInterruptedImport,
  writeImport,
  type ImportPlan,
} from '../../import/index.ts';

/** Options of `nyhetsbrev import`. */
export interface ImportCommandOptions {
  issues: string;
  into?: string;
  asIssue?: string;
  dryRun: boolean;
  verbose: boolean;
}

/** `nyhetsbrev import FILE…`: plans the import, prints its messages, writes it (unless a dry run). */
export async function importFiles(files: string[], options: ImportCommandOptions): Promise<void> {
  if (options.into && !options.dryRun) {
    const removed = await recoverInterruptedImport(join(options.issues, options.into));
    if (removed.length > 0) {
      process.stderr.write(
        `An earlier import into ${options.into} was interrupted; removed what it had added: ${removed.join(', ')}.\n`,
      );
    }
  }
  const plan = await planImport({
    files,
    issuesDir: options.issues,
    into: options.into,
    asIssue: options.asIssue,
  });
  const report = formatImportMessages(plan.messages, { verbose: options.verbose });
  if (report) process.stderr.write(`${report}\n`);
  if (!options.dryRun) await writeImport(plan);
  process.stdout.write(`${summary(plan, options.dryRun).join('\n')}\n`);
}

/** One line per issue written (or that would be), then what to do next. */
function summary(plan: ImportPlan, dryRun: boolean): string[] {
  const lines = plan.issues.map((issue) => {
    const dir = relative(process.cwd(), issue.dir) || issue.dir;
    const images = [...issue.files.keys()].filter((path) => path.startsWith('images/')).length;
    const what = `${issue.sections.length} section(s)${images ? `, ${images} image(s)` : ''}`;
    const verb = dryRun ? 'Would import' : 'Imported';
    return issue.mode === 'new'
      ? `${verb} ${issue.sources.join(', ')} as ${dir}/: issue.md and ${what} (status: draft).`
      : `${verb} ${issue.sources.join(', ')} into ${dir}/: ${what} after its last section (${issue.sections.join(', ')}).`;
  });
  const ids = plan.issues.map((issue) => issue.id).join(' ');
  if (!dryRun)
    lines.push(
      `Next: review the files and the messages above, then run \`nyhetsbrev check ${ids}\` and \`nyhetsbrev preview\`.`,
    );
  return lines;
}
