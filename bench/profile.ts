import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** A V8 CPU profile, as `node --cpu-prof` writes it and the inspector returns it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** A named group of profile frames: functions whose script URL (or name) matches `match`. */
export interface Category {
  name: string;
  match: RegExp;
}

/** Self time of one category, in milliseconds and as a share of all sampled time. */
export interface Share {
  name: string;
  ms: number;
  percent: number;
}

/** Profiles `work` on this thread with the inspector (sampling every 200 µs). */
export async function profile(work: () => Promise<unknown>): Promise<CpuProfile> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    await work();
    const { profile: result } = await session.post('Profiler.stop');
    return result as unknown as CpuProfile;
  } finally {
    session.disconnect();
  }
}

/** The largest `.cpuprofile` in `dir` (the main thread's, when `--cpu-prof` wrote several). */
export function readLargestProfile(dir: string): CpuProfile {
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  const largest = files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  if (!largest) throw new Error(`no CPU profile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, largest), 'utf8')) as CpuProfile;
}

/**
 * Self time per category, largest first; the first category a frame matches wins. Time in V8
 * builtins and natives (frames without a script, such as \`String.prototype.indexOf\`) counts
 * for the nearest caller that has one, so it lands with the code that asked for it. Frames that
 * match no category are "other"; \`(idle)\` time (waiting) is left out of the total.
 */
export function shares(result: CpuProfile, categories: readonly Category[]): Share[] {
  const byId = new Map(result.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of result.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const named = new Map<number, string>();
  const categoryOf = (id: number): string => {
    const known = named.get(id);
    if (known) return known;
    let current: number | undefined = id;
    let name = 'other';
    while (current !== undefined) {
      const frame = byId.get(current)!.callFrame;
      const special = frame.functionName.startsWith('(');
      if (frame.url || special) {
        const key = `${frame.url} ${frame.functionName}`;
        name = categories.find((category) => category.match.test(key))?.name ?? 'other';
        break;
      }
      current = parent.get(current);
    }
    named.set(id, name);
    return name;
  };
  const totals = new Map<string, number>();
  let all = 0;
  result.samples.forEach((id, index) => {
    const micros = result.timeDeltas[index] ?? 0;
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const name = categoryOf(id);
    totals.set(name, (totals.get(name) ?? 0) + micros);
    all += micros;
  });
  return [...totals]
    .map(([name, micros]) => ({ name, ms: micros / 1000, percent: (micros / all) * 100 }))
    .sort((a, b) => b.ms - a.ms);
}

/** `"micromark 61% (2 345 ms), GC 12% (…)"` — the shares as one line of text. */
export function describeShares(list: readonly Share[], limit = 6): string {
  return list
    .slice(0, limit)
    .map((share) => `${share.name} ${share.percent.toFixed(0)}% (${Math.round(share.ms)} ms)`)
    .join(', ');
}

/** Broad groups for profiles of whole stages (preview rebuilds, email renders, imports). */
export const STAGE_CATEGORIES: Category[] = [
  {
    name: 'MJML',
    match:
      /node_modules\/(mjml|juice|cssnano|postcss|csso|svgo|js-beautify|html-minifier|htmlparser2|cheerio|web-resource-inliner)/,
  },
  { name: 'HTML validation (html-validate)', match: /node_modules\/html-validate/ },
  {
    name: 'Markdown parsing (micromark, mdast)',
    match: /node_modules\/(micromark|mdast-util-from-markdown|mdast-util-gfm|yaml|zod)/,
  },
  {
    name: 'trees and HTML (unist, hast, parse5)',
    match: /node_modules\/(unist-util|hast-util|mdast-util-to-hast|parse5|property-information)/,
  },
  { name: 'check rules (src/check)', match: /\/src\/check\// },
  { name: 'SQLite', match: /better-sqlite3/ },
  { name: 'CSV parsing', match: /node_modules\/csv-parse/ },
  { name: 'hashing', match: /^node:internal\/crypto/ },
  { name: 'garbage collection', match: /\(garbage collector\)/ },
  { name: 'other nyhetsbrev code (src/)', match: /\/src\// },
];
