import { readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import {
  formatImportProblems,
  importCsv,
  loadLists,
  openStore,
  readImportFile,
  summariseImport,
} from '../audience/index.ts';
import { buildSite } from '../build/index.ts';
import type { Config } from '../config/schema.ts';
import { UserError } from '../errors.ts';
import { E } from '../errors/catalog.ts';
import { archiveIssues, loadArchive } from '../pipeline.ts';
import { formatMessages, summarise } from '../report/reporter.ts';
import { sendIssue, type SendResult } from './index.ts';

/** Where the demo reads and writes, relative to the config's folder (the repository for `npm start`). */
export const DEMO_PATHS = {
  issues: 'issues',
  out: 'dist',
  subscribers: 'subscribers/sample-subscribers.csv',
} as const;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  out?: (text: string) => void;
  err?: (text: string) => void;
  progress?: boolean;
  env?: NodeJS.ProcessEnv;
}

/**
 * The quick start (`npm start`): build the sample issues into `dist/`, import the sample
 * subscribers into the configured database (importing again changes nothing), and send the newest
 * ready issue to them through the outbox — no network, no API key, no secret (see secret.ts). A
 * second run resumes the same campaign, or reports it already sent; both exit 0.
 */
export async function runDemo(config: Config, options: DemoOptions = {}): Promise<SendResult> {
  const io: DemoIo = {
    out: options.out ?? ((text: string) => void process.stdout.write(`${text}\n`)),
    err: options.err ?? ((text: string) => void process.stderr.write(`${text}\n`)),
    at: (path: string): string => resolve(config.root, path),
    show: (path: string): string => relative(process.cwd(), path) || '.',
  };
  await buildSamples(config, io);
  importSamples(config, options, io);
  return sendNewest(config, options, io);
}

/** Where the demo writes what it says, and how it names paths. */
interface DemoIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A path of DEMO_PATHS, in the config's folder. */
  at: (path: string) => string;
  /** A path as the user is shown it: relative to the working folder. */
  show: (path: string) => string;
}

/** Step 1: the sample issues built into dist/; refused if one has errors. */
async function buildSamples(config: Config, { out, err, at, show }: DemoIo): Promise<void> {
  const build = await buildSite(config, {
    issuesDir: at(DEMO_PATHS.issues),
    outDir: at(DEMO_PATHS.out),
    ids: [],
    drafts: false,
  });
  const report = formatMessages(build.files);
  if (report) err(report);
  if (summarise(build.files).errors > 0) {
    throw new UserError(E.DemoCheckFailed);
  }
  out(`1. Built ${build.built.length} issue(s) into ${show(at(DEMO_PATHS.out))}/ (email/ and web/).`);
}

/** Step 2: the sample subscribers imported into the configured database (again: no change). */
function importSamples(config: Config, options: DemoOptions, { out, err, at, show }: DemoIo): void {
  const store = openStore(config.database, options.env ? { env: options.env } : {});
  try {
    const lists = loadLists(config.lists);
    const csv = at(DEMO_PATHS.subscribers);
    const imported = importCsv(store, lists, readImportFile(csv), { list: lists.default, source: 'demo' });
    const problems = formatImportProblems(csv, imported);
    if (problems.length > 0) err(problems.join('\n'));
    out(`2. Imported ${show(csv)} into ${show(config.database)}: ${summariseImport(imported)}.`);
  } finally {
    store.close();
  }
}

/** Step 3: the newest ready issue sent through the outbox, and where its emails are. */
async function sendNewest(config: Config, options: DemoOptions, io: DemoIo): Promise<SendResult> {
  const { out, err, at, show } = io;
  const archive = await loadArchive(at(DEMO_PATHS.issues), config);
  const newest = archiveIssues(archive)[0];
  if (!newest) throw new UserError(E.DemoNoIssue, { dir: show(at(DEMO_PATHS.issues)) });
  out(`3. Sending ${newest.id} through the outbox:`);
  const result = await sendIssue(config, {
    issueId: newest.id,
    issuesDir: at(DEMO_PATHS.issues),
    transport: 'outbox',
    yes: true,
    progress: options.progress ?? false,
    out,
    err,
    ...(options.env ? { env: options.env } : {}),
  });
  if (result.outcome === 'complete' || result.outcome === 'already-sent') {
    const dir = config.transport.outbox.dir;
    // Named by Message-ID, which starts with the campaign ref (see outboxFileName).
    const prefix = `${result.campaign.ref}.`;
    const files = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.eml'));
    out(
      `The emails are in ${show(dir)}/: ${files.length} .eml file(s) for ${newest.id}, one per recipient. Open one in a mail client.`,
    );
  }
  return result;
}
