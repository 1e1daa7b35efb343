/**
 * `node bin/run-ts.js test/support/send-modules-probe.ts CONFIG ISSUES ID child|process`: sends
 * issue ID (outbox, --yes) with the issue built in a child process or in this one, then prints
 * one JSON line: every module this process loaded — ES modules as resolved (through the module
 * hooks below) and CommonJS ones from the require cache — and how the send ended.
 */
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const [configFile, issuesDir, issueId, where] = process.argv.slice(2) as [string, string, string, string];
const { port1, port2 } = new MessageChannel();
const resolved = new Set<string>();
port1.on('message', (url: string) => resolved.add(url));
// Module hooks (they run on a thread of their own) posting the URL of every module resolved.
const HOOKS = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, {
  data: { port: port2 },
  transferList: [port2],
});

const { loadConfig } = await import('../../src/config/load.ts');
const { sendIssue } = await import('../../src/send/index.ts');
const result = await sendIssue(loadConfig(configFile, { explicit: true }), {
  issueId,
  issuesDir,
  yes: true,
  transport: 'outbox',
  isolateBuild: where === 'child',
  env: { NYHETSBREV_SECRET: process.env.NYHETSBREV_SECRET },
  out: () => undefined,
  err: () => undefined,
});
// The hooks' last messages arrive on a later turn of the event loop.
await new Promise((resolve) => setImmediate(resolve));
port1.close();
const required = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(`${JSON.stringify({ outcome: result.outcome, modules: [...resolved, ...required] })}\n`);
