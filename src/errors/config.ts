import type { CatalogPart } from './names.ts';

const YAML_HINT = 'Fix the YAML syntax (indentation, a missing colon or an unclosed quote) and run again.';

interface ListArgs {
  unknown: readonly string[];
  known: readonly string[];
  file: string;
}

/** Errors of the config file and the lists file. */
export const CONFIG = {
  ConfigMissing: {
    name: 'ConfigNotFound',
    message: ({ file }: { file: string }) => `Config file ${file} does not exist.`,
    hint: 'Pass an existing file with --config, or leave it out to use nyhetsbrev.yml.',
  },
  ConfigUnreadable: {
    name: 'ConfigNotFound',
    message: ({ file }: { file: string }) => `Cannot read ${file}.`,
    hint: 'Check its permissions.',
  },
  /** YAML syntax, of the config or the lists file; the error's place is the line. */
  YamlInvalid: {
    name: 'ConfigInvalid',
    message: ({ reason }: { reason: string }) => `Invalid YAML: ${reason.split('\n')[0]}`,
    hint: YAML_HINT,
  },
  ConfigProblems: {
    name: 'ConfigInvalid',
    message: ({ path, problems }: { path: string; problems: readonly string[] }) =>
      `${path} has ${problems.length} problem(s):\n${problems.join('\n')}`,
    hint: 'See README → Configuration for every key and its meaning.',
  },
  ListsUnreadable: {
    name: 'ConfigNotFound',
    message: ({ file }: { file: string }) => `Cannot read the lists file ${file}.`,
    hint: 'Create it (see README → Configuration → lists) or set `lists` in the config to its path.',
  },
  ListsProblems: {
    name: 'ConfigInvalid',
    message: ({ file, problems }: { file: string; problems: readonly string[] }) =>
      `${file} has ${problems.length} problem(s):\n${problems.join('\n')}`,
    hint: 'Each list needs id, name, description and public (yes/no); `default` names a public list.',
  },
  UnknownList: {
    name: 'UnknownList',
    message: ({ unknown, file }: ListArgs) =>
      `No list with the id ${unknown.map((id) => `"${id}"`).join(', ')} in ${file}.`,
    hint: ({ known, file }: ListArgs) => `Known lists: ${known.join(', ')}. Add new forums to ${file} first.`,
  },
} satisfies CatalogPart;
