import type { Command } from 'commander';

const loaders = new WeakMap<Command, () => Promise<void>>();

/**
 * Adds help text after a command's options that a module has to make (the rule list of `check`,
 * from `RULES`): `load` runs only when that command is dispatched — to run, or for `--help` — or
 * named by `help <command>`, so other commands never load the module.
 */
export function addLazyHelpText(command: Command, load: () => Promise<string>): void {
  let text = '';
  command.addHelpText('after', () => text);
  loaders.set(command, async () => {
    text = await load();
  });
}

/**
 * Makes lazy help texts appear: loads them when their command is dispatched, and replaces
 * commander's `help [command]` (which prints help synchronously) with one that loads them first.
 */
export function useLazyHelp(program: Command): void {
  program.hook('preSubcommand', (_program, subcommand) => loaders.get(subcommand)?.());
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
