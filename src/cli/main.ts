import { Command, CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { formatUserError, isUserError } from '../errors.ts';
import { sourceStackOf } from '../errors/stack.ts';
import { registerBuild } from './commands/build.ts';
import { registerCheck } from './commands/check.ts';
import { registerNew } from './commands/new.ts';
import { registerPreview } from './commands/preview.ts';
import { registerPublish } from './commands/publish.ts';
import { registerSubscribers } from './commands/subscribers.ts';
import { registerSend } from './commands/send.ts';
import { registerServe } from './commands/serve.ts';
import { registerDemo } from './commands/demo.ts';
import { registerBackup } from './commands/backup.ts';
import { registerReport } from './commands/report.ts';
import { registerBounces } from './commands/bounces.ts';
import { printOwedHelp, useLazyHelp } from './lazy-help.ts';
import { registerImport } from './commands/import.ts';

/** Exit codes (DESIGN): 0 ok, 1 user error, 2 usage error, 70 bug. */
export const EXIT = { ok: 0, user: 1, usage: 2, bug: 70 } as const;

/**
 * Builds the commander program with every command declared. Declaring loads no stage: each
 * command's action imports its module in src/cli/actions/ when it runs, so `--help` and
 * `--version` load commander and these declarations only.
 */
export function createProgram(): Command {
  const program = new Command('nyhetsbrev')
    .description(
      'Newsletter pipeline: Markdown issues → responsive email + accessible web archive → subscribers',
    )
    .version(pkg.version, '-V, --version', 'print the version')
    .option('--config <file>', 'configuration file', 'nyhetsbrev.yml')
    .showHelpAfterError()
    .exitOverride();
  registerBuild(program);
  registerCheck(program);
  registerNew(program);
  registerPreview(program);
  registerPublish(program);
  registerSubscribers(program);
  registerSend(program);
  registerServe(program);
  registerDemo(program);
  registerBackup(program);
  registerReport(program);
  registerBounces(program);
  useLazyHelp(program);
  registerImport(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code. User errors print title, message and hint (exit 1);
 * anything else is a bug: printed whole, exit 70.
 */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
      await printOwedHelp(error);
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (isUserError(error)) {
      process.stderr.write(`${formatUserError(error)}\n`);
      return EXIT.user;
    }
    process.stderr.write(`nyhetsbrev: internal error (a bug — please report it with this output)\n`);
    process.stderr.write(`${sourceStackOf(error)}\n`);
    if (error instanceof Error && error.cause instanceof Error) {
      process.stderr.write(`caused by: ${sourceStackOf(error.cause)}\n`);
    }
    return EXIT.bug;
  }
}
