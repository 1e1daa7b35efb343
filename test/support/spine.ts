import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { parseConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/schema.ts';
import { buildIssue, loadArchive, type Archive } from '../../src/pipeline.ts';

/** Fixture archives of whole issues (one folder per case). */
export const ISSUE_FIXTURES = resolve('test/fixtures/issues');

/** Every fixture archive (test/fixtures/issues/*, test/fixtures/check/*, the web one) and the sample issues. */
export const ALL_ARCHIVES = [
  ...['test/fixtures/issues', 'test/fixtures/check'].flatMap((root) =>
    readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, entry.name)),
  ),
  'test/fixtures/web/archive',
  'issues',
].map((dir) => resolve(dir));

/** A config like the sample one, at reserved domains, with a sub-path base URL. */
export function testConfig(extra = ''): Config {
  return parseConfig(
    `organisation: Myndighetsnätverket
newsletter: Nyhetsbrev från Myndighetsnätverket
baseUrl: https://natverket.example.org/nyhetsbrev/
sender:
  from: Nätverket <nyhetsbrev@natverket.example.org>
footer: Du får det här nyhetsbrevet eftersom du är medlem i ett forum.
${extra}`,
    join(tmpdir(), 'nyhetsbrev-test.yml'),
  );
}

/** Loads a fixture archive by case name. */
export async function fixtureArchive(name: string, config = testConfig()): Promise<Archive> {
  return loadArchive(join(ISSUE_FIXTURES, name), config);
}

/** Builds one issue of a fixture archive. */
export async function buildFixture(name: string, id: string, config = testConfig()) {
  const archive = await fixtureArchive(name, config);
  return buildIssue(archive, id, config);
}

/** Parses HTML to a hast tree. */
export function html(text: string): Root {
  return fromHtml(text);
}

/** Every element matching `test`, in document order. */
export function elements(tree: Root, test: (node: Element) => boolean): Element[] {
  const found: Element[] = [];
  visit(tree, 'element', (node: Element) => {
    if (test(node)) found.push(node);
  });
  return found;
}

/** A fresh temp folder. */
export function tempDir(prefix = 'nyhetsbrev-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
