/**
 * The child process of `issueInChild` (issue-child.ts): builds and checks one issue, answers once
 * over IPC and exits. MJML, the unified stack and Handlebars are loaded here, never in the sender.
 */
import { useResultCache } from '../cache/results.ts';
import { buildIssueForSend } from './issue-build.ts';
import { toPlainError, type FromChild, type ToChild } from './issue-child.ts';

// Ctrl-C reaches the whole process group, and a service manager's stop (systemd's default
// KillMode) the whole control group: the sender decides what they mean (send.ts, serve), and
// this process ends with it (`disconnect` below), never before it has its answer.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
// The sender is gone (it quit at a second Ctrl-C): nobody wants the answer.
process.once('disconnect', () => process.exit(0));
process.once('message', (request: ToChild) => void answer(request));

async function answer({ config, issuesDir, id, cacheDir }: ToChild): Promise<void> {
  let reply: FromChild;
  useResultCache(cacheDir);
  try {
    reply = { type: 'done', issue: await buildIssueForSend(config, issuesDir, id) };
  } catch (error) {
    reply = { type: 'failed', error: toPlainError(error) };
  }
  process.send!(reply, undefined, undefined, () => process.exit(0));
}
