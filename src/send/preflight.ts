import type { IssueStatus } from '../model.ts';
import { UserError } from '../errors.ts';

/** What preflight judges: plain facts gathered before anything irreversible. */
export interface PreflightInput {
  issueId: string;
  status: IssueStatus;
  /** Content errors of the issue (`check` rules, or the spine's messages). */
  errors: number;
  /** `--test`: drafts may be test-sent; nothing is frozen, so audience problems do not apply. */
  test: boolean;
  /** Why the transport cannot be created (a missing API key…), if it cannot. */
  transportProblem?: UserError | undefined;
  /** Why unsubscribe tokens cannot be signed, if they cannot (see secret.ts). */
  secretProblem?: UserError | undefined;
  /** Recipients still to send to (after suppressions; for a resumed campaign, its unfinished rows). */
  toSend: number;
  /** `--list` given on a resume that differs from the campaign's frozen lists. */
  listMismatch?: { frozen: readonly string[]; asked: readonly string[] } | undefined;
}

/**
 * Every reason to refuse the send, most fundamental first; empty when it may go ahead. Pure, so
 * `--dry-run` can list them all and a real send throws the first.
 */
export function preflight(input: PreflightInput): UserError[] {
  const problems: UserError[] = [];
  const id = input.issueId;
  if (input.status === 'draft' && !input.test) {
    problems.push(
      new UserError(
        'SendRefused',
        `${id} is a draft (status: draft in its issue.md); drafts are never sent. Nothing was sent.`,
        {
          hint: `Set \`status: ready\` in issues/${id}/issue.md when the issue is final, or send test copies with \`nyhetsbrev send ${id} --test ADDRESS\`.`,
        },
      ),
    );
  }
  if (input.errors > 0) {
    problems.push(
      new UserError(
        'SendRefused',
        `${id} has ${input.errors} content error(s), listed above. Nothing was sent.`,
        {
          hint: `Fix them (\`nyhetsbrev check ${id}\` lists them too) and run the send again.`,
        },
      ),
    );
  }
  if (input.transportProblem) problems.push(input.transportProblem);
  if (input.secretProblem) problems.push(input.secretProblem);
  if (input.test) return problems;
  if (input.listMismatch) {
    const { frozen, asked } = input.listMismatch;
    problems.push(
      new UserError(
        'SendRefused',
        `The send of ${id} was started for the lists ${frozen.join(', ')}, not ${asked.join(', ')}; a started send always resumes with its frozen audience. Nothing was sent.`,
        {
          hint: `Run \`nyhetsbrev send ${id}\` without --list (or with --list ${frozen.join(' ')}) to resume it.`,
        },
      ),
    );
  }
  if (input.toSend === 0) {
    problems.push(
      new UserError(
        'SendRefused',
        `Nobody to send ${id} to: the chosen lists have no active, unsuppressed members.`,
        {
          hint: 'Import subscribers with `nyhetsbrev subscribers import FILE --list ID` (see `nyhetsbrev subscribers stats`).',
        },
      ),
    );
  }
  return problems;
}

/** How {@link confirmSend} may ask. */
export interface ConfirmOptions {
  yes: boolean;
  /** True when a person can answer: stdin and stdout are terminals and this is not CI. */
  interactive: boolean;
  /** Asks the question and resolves with the answer; default: readline on stdin/stderr. */
  ask?: ((question: string) => Promise<string>) | undefined;
}

/**
 * Asks "send to N recipients?" unless `--yes`. Refuses (`SendRefused`) when nobody can answer, and
 * when the answer is not yes/ja. Nothing has been written when it refuses.
 */
export async function confirmSend(question: string, count: number, options: ConfirmOptions): Promise<void> {
  if (options.yes) return;
  if (!options.interactive) {
    throw new UserError(
      'SendRefused',
      `Refusing to send to ${count} recipient(s) without confirmation: not running on a terminal. Nothing was sent.`,
      {
        hint: 'Check the plan with --dry-run, then pass --yes to send without asking (as in scripts and CI).',
      },
    );
  }
  const answer = await (options.ask ?? askOnTerminal)(`${question} [y/N] `);
  if (!/^\s*(y|yes|j|ja)\s*$/i.test(answer)) {
    throw new UserError('SendRefused', 'Not confirmed. Nothing was sent.', {
      hint: 'Answer y to send, or pass --yes.',
    });
  }
}

async function askOnTerminal(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
