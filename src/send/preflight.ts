import type { IssueStatus } from '../model.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';

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
    problems.push(new UserError(E.SendDraft, { id }));
  }
  if (input.errors > 0) {
    problems.push(new UserError(E.SendContentErrors, { id, errors: input.errors }));
  }
  if (input.transportProblem) problems.push(input.transportProblem);
  if (input.secretProblem) problems.push(input.secretProblem);
  if (input.test) return problems;
  if (input.listMismatch) {
    const { frozen, asked } = input.listMismatch;
    problems.push(new UserError(E.SendListsFrozen, { id, frozen, asked }));
  }
  if (input.toSend === 0) {
    problems.push(new UserError(E.SendNobody, { id }));
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
    throw new UserError(E.SendNotConfirmed, { count });
  }
  const answer = await (options.ask ?? askOnTerminal)(`${question} [y/N] `);
  if (!/^\s*(y|yes|j|ja)\s*$/i.test(answer)) {
    throw new UserError(E.SendDeclined);
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
