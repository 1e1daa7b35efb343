import type { Command, CommanderError } from 'commander';

const loaders = new WeakMap<Command, () => Promise<void>>();
// A usage error still to be followed by its command's help (see addLazyHelpText).
const owed = new WeakMap<CommanderError, Command>();

// Codes of CommanderErrors that are not usage errors: help or the version was printed.
const NOT_USAGE = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version']);

/**
 * Adds help text after a command's options that a module has to make (the rule list of `check`,
 * from `RULES`): `load` runs only when that command's help is printed — `--help`, `help <command>`
 * or after a usage error — so running the command does not wait for it (check starts MJML loading
 * first) and other commands never load the module. Help after a usage error is printed by
 * {@link printOwedHelp}, once the text is loaded, instead of by commander.
 */
export function addLazyHelpText(command: Command, load: () => Promise<string>): void {
  let text = '';
  command.addHelpText('after', () => text);
  loaders.set(command, async () => {
    text = await load();
  });
  command.showHelpAfterError(false).exitOverride((error: CommanderError) => {
    if (error.exitCode !== 0 && !NOT_USAGE.has(error.code)) owed.set(error, command);
    throw error;
  });
}

/**
 * After a usage error of a command with lazy help text: loads the text and prints the command's
 * help to stderr (without the text, should it fail to load).
 */
export async function printOwedHelp(error: CommanderError): Promise<void> {
  const command = owed.get(error);
  if (!command) return;
  try {
    await loaders.get(command)?.();
  } catch {
    // The help without its lazy part still helps.
  }
  process.stderr.write('\n');
  command.outputHelp({ error: true });
}

/**
 * Makes lazy help texts appear: loads them when their command is dispatched with `-h`/`--help`,
 * and replaces commander's `help [command]` (which prints help synchronously) with one that loads
 * them first.
 */
export function useLazyHelp(program: Command): void {
  program.hook('preSubcommand', (root, subcommand) =>
    root.args.some((arg) => arg === '-h' || arg === '--help') ? loaders.get(subcommand)?.() : undefined,
  );
  program.helpCommand(false);
  program
    .command('help')
    .argument('[command]')
    .description('display help for command')
    .action(async (name: string | undefined) => {
      const command = program.commands.find((candidate) => candidate.name() === name);
      if (!command) program.help({ error: name !== undefined });
      await loaders.get(command)?.();
      command.help();
    });
}
