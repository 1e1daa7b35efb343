import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUserError, isUserError, UserError } from '../../src/errors.ts';
import { E } from '../../src/errors/catalog.ts';
import { loadIssueForSend } from '../../src/send/issue.ts';
import { fromPlainError, toPlainError } from '../../src/send/issue-child.ts';
import { packagesOf } from '../support/packages.ts';
import { ARCHIVE, ROOT, SECRET, seedSubscribers, send, tempProject, type Project } from './helpers.ts';

// What a refusal shows the user, and whether the CLI would treat it as a user error (exit 1).
function shown(error: UserError | undefined) {
  return error && { user: isUserError(error), text: formatUserError(error), place: error.place };
}

// The outbox's emails with what differs between any two campaigns replaced: the campaign ref's
// random nonce (and the Message-IDs made from it), nodemailer's MIME boundaries, the Date header.
function outbox(project: Project): string[] {
  return readdirSync(project.outbox)
    .map((name) =>
      `${name}\n${readFileSync(join(project.outbox, name), 'latin1')}`
        .replace(/c1-[0-9a-f]{8}(\.[0-9a-f]{32})?/g, 'c1-REF.ID')
        .replace(/_NmP-[0-9a-f]+-Part_/g, '_NmP-BOUNDARY-Part_')
        .replace(/^Date: .*$/m, 'Date: DATE'),
    )
    .sort();
}

function probe(
  project: Project,
  where: 'child' | 'process',
): Promise<{ outcome: string; modules: string[] }> {
  const script = join(ROOT, 'test/support/send-modules-probe.ts');
  const args = [join(ROOT, 'bin/run-ts.js'), script, project.file, ARCHIVE, '2025-01', where];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NYHETSBREV_SECRET: SECRET },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as never) : reject(new Error(`probe exited ${code}`)),
    ),
  );
}

const RENDERERS = ['mjml', 'mjml-core', 'handlebars', 'micromark', 'unified', 'juice', 'cheerio', 'cssnano'];

// The renderers among the npm packages a list of loaded modules holds code of.
function renderers(modules: string[]): string[] {
  return packagesOf(modules).filter((name) => RENDERERS.includes(name));
}

describe('building the issue in a child process (what the CLI does)', () => {
  it('refuses with the same errors, hints and content report as a build in this process', async () => {
    const project = tempProject();
    seedSubscribers(project, 3);
    // Content errors (refused in this process, with the child's report) and an unknown issue
    // (thrown in the child).
    const names = [];
    for (const issueId of ['2025-03', '2099-01']) {
      const here = await send(project, { issueId, isolateBuild: false });
      const there = await send(project, { issueId, isolateBuild: true });
      expect(shown(there.error), issueId).toEqual(shown(here.error));
      expect(there.err).toBe(here.err);
      names.push(there.error?.name);
    }
    expect(names).toEqual(['SendRefused', 'IssueNotFound']);
  });

  it('gives the same issue data, and the same emails in the outbox, as a build in this process', async () => {
    const config = tempProject().config();
    const here = await loadIssueForSend(config, ARCHIVE, '2025-01');
    expect(await loadIssueForSend(config, ARCHIVE, '2025-01', { isolate: true })).toEqual(here);
    expect(here.built?.email.html).toContain('<html');
    const [a, b] = [tempProject(), tempProject()];
    seedSubscribers(a, 3);
    // The same database, so both campaigns have the same subscribers' token keys.
    mkdirSync(dirname(b.database), { recursive: true });
    copyFileSync(a.database, b.database);
    expect((await send(a, { isolateBuild: false })).result?.outcome).toBe('complete');
    expect((await send(b, { isolateBuild: true })).result?.outcome).toBe('complete');
    expect(outbox(a)).toHaveLength(3);
    expect(outbox(b)).toEqual(outbox(a));
  });

  it('stops the build child at an abort (Ctrl-C, serve stopping): interrupted before sending, at once', async () => {
    const config = tempProject().config();
    const controller = new AbortController();
    const building = loadIssueForSend(config, ARCHIVE, '2025-01', {
      isolate: true,
      signal: controller.signal,
    });
    controller.abort(new Error('Interrupted by Ctrl-C'));
    const error = await building.then(
      () => undefined,
      (reason: unknown) => reason as UserError,
    );
    expect(shown(error)).toEqual(shown(new UserError(E.SendInterruptedEarly)));
    expect(error?.name).toBe('SendStopped');
  });

  it('keeps MJML, Handlebars and the unified stack out of the sending process', async () => {
    const [a, b] = [tempProject(), tempProject()];
    seedSubscribers(a, 2);
    seedSubscribers(b, 2);
    const [child, inProcess] = await Promise.all([probe(a, 'child'), probe(b, 'process')]);
    // The probe sees them when the issue is built in the sending process…
    expect(inProcess.outcome).toBe('complete');
    expect(renderers(inProcess.modules)).toEqual(expect.arrayContaining(['mjml', 'handlebars', 'unified']));
    // …and none of them when a child builds it; the send itself still loaded (SQLite, the outbox).
    expect(child.outcome).toBe('complete');
    expect(renderers(child.modules)).toEqual([]);
    expect(packagesOf(child.modules)).toContain('better-sqlite3');
  });

  it('carries a user error across as itself, and a bug with its stack and cause', () => {
    const user = new UserError(
      E.BuildIssueMissing,
      { id: '2099-01', dir: 'issues', known: ['2025-01'] },
      { place: 'a.md:1:1' },
    );
    const back = fromPlainError(structuredClone(toPlainError(user)));
    expect(isUserError(back) && formatUserError(back)).toBe(formatUserError(user));
    const bug = new TypeError('x is undefined', { cause: new Error('lower layer') });
    const rebuilt = fromPlainError(structuredClone(toPlainError(bug)));
    expect(isUserError(rebuilt)).toBe(false);
    expect([rebuilt.name, rebuilt.message, rebuilt.stack]).toEqual([bug.name, bug.message, bug.stack]);
    expect((rebuilt.cause as Error).stack).toBe((bug.cause as Error).stack);
  });
});
