import type { CatalogPart } from './names.ts';

interface IssueArgs {
  id: string;
  dir: string;
}

/** Errors of reading, checking, building and publishing issues. */
export const PIPELINE = {
  /** `code` is the error code of reading the folder (ENOENT…), if any. */
  IssuesFolderUnreadable: {
    name: 'IssuesFolderUnreadable',
    message: ({ root, code }: FolderArgs) => `Cannot read the issues folder ${root} (${code ?? 'error'}).`,
    hint: ({ code }: FolderArgs) =>
      code === 'ENOENT'
        ? 'Check the path given with --issues (default: issues/).'
        : 'Check that the folder exists and that you may read it.',
  },
  CheckIssueMissing: {
    name: 'IssueNotFound',
    message: ({ id, dir }: IssueArgs) => `There is no issue ${id} in ${dir}.`,
    hint: 'Check the id (a folder name such as 2024-03); `nyhetsbrev check` without ids checks every issue.',
  },
  /** `known` are the ids of the issues there. */
  BuildIssueMissing: {
    name: 'IssueNotFound',
    message: ({ id, dir }: IssueArgs & { known: readonly string[] }) => `There is no issue ${id} in ${dir}.`,
    hint: ({ known }: IssueArgs & { known: readonly string[] }) =>
      known.length > 0 ? `Known issues: ${known.join(', ')}.` : 'Create one with `nyhetsbrev new`.',
  },
  /** `what` counts the failing messages: "2 error(s)", or "3 warning(s) (--frail)". */
  CheckFailed: {
    name: 'CheckFailed',
    message: ({ what, issues }: { what: string; issues: number }) =>
      `The check failed: ${what} in ${issues} issue(s).`,
    hint: 'Fix the messages listed above (file:line:column, with a hint under each) and run `nyhetsbrev check` again.',
  },
  BuildFailed: {
    name: 'CheckFailed',
    message: ({ errors }: { errors: number }) => `Nothing was built: ${errors} error(s) in the issues.`,
    hint: 'Fix the errors listed above (file:line:column) and run `nyhetsbrev build` again.',
  },
  DemoCheckFailed: {
    name: 'CheckFailed',
    message: () => 'The sample issues have errors (listed above); nothing was built or sent.',
    hint: 'Fix them and run `npm start` again.',
  },
  DemoNoIssue: {
    name: 'IssueNotFound',
    message: ({ dir }: { dir: string }) => `There is no ready issue in ${dir}.`,
    hint: ({ dir }: { dir: string }) =>
      `The demo sends the newest issue with \`status: ready\`: set that in an issue.md under ${dir} (\`nyhetsbrev new\` makes a draft to start from), then run \`npm start\` again.`,
  },
  TemplateError: {
    name: 'TemplateError',
    message: ({ path, reason }: { path: string; reason: string }) => `Template ${path} failed: ${reason}`,
    hint: 'A field the template uses is missing from its data; check the spelling in the template.',
  },
  PublishTargetForeign: {
    name: 'PublishFailed',
    message: ({ to }: { to: string }) =>
      `${to} is not empty and does not hold a site published by nyhetsbrev.`,
    hint: 'Check the folder: publish replaces it as a whole. Pass --force to replace it anyway.',
  },
  PublishContentErrors: {
    name: 'CheckFailed',
    message: ({ to }: { to: string }) =>
      `Nothing was published: the issues have errors, so ${to} was left as it was.`,
    hint: 'Fix the errors listed above (file:line:column) and run `nyhetsbrev publish` again.',
  },
  PublishRunning: {
    name: 'PublishFailed',
    message: ({ target, pid }: { target: string; pid: number; lock: string }) =>
      `Another publish to ${target} is running (process ${pid}).`,
    hint: ({ lock }: { target: string; pid: number; lock: string }) =>
      `Wait for it to finish. If no publish is running, remove ${lock} and try again.`,
  },
  /**
   * The build of a publish refused (`error` is its UserError): raised under that error's name, with
   * its message and hint and what state the published site is in.
   */
  PublishBuildRefused: {
    name: 'PublishFailed',
    message: ({ error, to }: RefusedArgs) =>
      `${error.message} Nothing was published; ${to} was left as it was.`,
    hint: ({ error }: RefusedArgs) => error.hint,
  },
} satisfies CatalogPart;

interface FolderArgs {
  root: string;
  code: string | undefined;
}

interface RefusedArgs {
  error: { message: string; hint: string | undefined };
  to: string;
}
