import mjml2html from 'mjml';
import { buildIssue, loadArchive } from '../src/pipeline.ts';
import { describeShares, profile, shares, STAGE_CATEGORIES } from './profile.ts';
import { figure, target, type BenchResult } from './result.ts';
import { benchConfig, corpus } from './setup.ts';
import { duration, interleave, medians, times } from './stats.ts';

// The options `renderEmail` compiles with (src/render/email.ts), so both sides do the same work.
const MJML_OPTIONS = { validationLevel: 'soft', fonts: {}, keepComments: false, minify: true } as const;

/**
 * Benchmark 1: the whole `buildIssue` of one 10-section issue (assemble, Handlebars → MJML → HTML,
 * the text part and the web page) against compiling the same MJML alone with `mjml2html`.
 */
export async function benchEmail({ quick }: { quick: boolean }): Promise<BenchResult> {
  const config = benchConfig();
  const { dir, ids } = corpus('email-corpus', 12);
  const archive = await loadArchive(dir, config);
  const id = ids.at(-1)!;
  const { email } = await buildIssue(archive, id, config);
  const runs = quick ? 9 : 25;
  const samples = await interleave(
    {
      buildIssue: () => buildIssue(archive, id, config),
      mjml: () => mjml2html(email.mjml, MJML_OPTIONS),
    },
    { runs, warmup: 3 },
  );
  const ours = medians(samples.buildIssue!);
  const raw = medians(samples.mjml!);
  const ratio = ours.wallMs / raw.wallMs;
  const bounds: string[] = [];
  if (ratio > 1.5) {
    const result = await profile(async () => {
      for (let run = 0; run < 10; run++) await buildIssue(archive, id, config);
    });
    bounds.push(
      `Profile of ten \`buildIssue\` calls (this run): ${describeShares(shares(result, STAGE_CATEGORIES), 7)}.`,
    );
  }
  return {
    id: 'email',
    title: 'Email render of one 10-section issue',
    method: `\`buildIssue\` (assemble → Handlebars → MJML → HTML, text part, web page) of issue ${id} of a 12-issue synthetic archive (parsed once beforehand), against \`mjml2html\` of the same MJML (${Math.round(email.mjml.length / 1024)} KB) with the same options; ${runs} interleaved runs each after 3 warm-up rounds, medians.`,
    figures: [
      figure('buildIssue, median wall', ours.wallMs, 'ms', duration(ours.wallMs)),
      figure('mjml2html alone, median wall', raw.wallMs, 'ms', duration(raw.wallMs)),
      figure('our work besides MJML', ours.wallMs - raw.wallMs, 'ms', duration(ours.wallMs - raw.wallMs)),
      figure('ratio (CPU time)', ours.cpuMs / raw.cpuMs, '×', times(ours.cpuMs / raw.cpuMs)),
      figure(
        'email HTML size',
        Buffer.byteLength(email.html) / 1024,
        'KB',
        `${(Buffer.byteLength(email.html) / 1024).toFixed(1)} KB`,
      ),
    ],
    targets: [target('buildIssue ÷ raw MJML compile', ratio, '×', '≤', 1.5)],
    notes: [],
    bounds,
  };
}
