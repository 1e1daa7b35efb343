import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The axe-core tags the archive is held to: WCAG 2.1 A/AA and EN 301 549. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'EN-301-549'];

const AXE_SOURCE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core on the loaded page and returns its violations as readable strings. axe is
 * evaluated as a string (not a script tag), so the pages' strict CSP need not allow scripts.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const { readFileSync } = await import('node:fs');
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  return page.evaluate(async (tags) => {
    const axe = (
      window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }
    ).axe;
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return results.violations.map(
      (v) =>
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('; ')}`,
    );
  }, AXE_TAGS);
}

interface AxeResults {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    nodes: { target: string[]; failureSummary?: string }[];
  }[];
}
