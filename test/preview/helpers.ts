import { cpSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Config } from '../../src/config/schema.ts';
import { startPreview, type PreviewServer } from '../../src/preview/index.ts';
import { TEMPLATES_DIR } from '../../src/render/templates.ts';
import { CHECK_FIXTURES } from '../check/helpers.ts';
import { tempDir, testConfig } from '../support/spine.ts';

/** Options of {@link startFixturePreview}. */
export interface FixturePreviewOptions {
  config?: Config;
  reloadConfig?: () => Config;
}

/**
 * A preview on a free port over a temp copy of a fixture archive: a check fixture by name
 * (default `clean`) or an absolute path.
 */
export async function startFixturePreview(
  fixture = 'clean',
  options: FixturePreviewOptions = {},
): Promise<{ preview: PreviewServer; dir: string; templates: string }> {
  const dir = tempDir('nyhetsbrev-preview-');
  cpSync(isAbsolute(fixture) ? fixture : join(CHECK_FIXTURES, fixture), dir, { recursive: true });
  // Watch a copy of the templates, so touching them in a test never touches the repository's.
  const templates = tempDir('nyhetsbrev-preview-templates-');
  cpSync(TEMPLATES_DIR, templates, { recursive: true });
  const preview = await startPreview({
    issuesDir: dir,
    config: options.config ?? testConfig(),
    ...(options.reloadConfig ? { reloadConfig: options.reloadConfig } : {}),
    port: 0,
    templatesDir: templates,
  });
  return { preview, dir, templates };
}

/** Server-sent events of a preview, read in Node: resolves with the next `update` and its arrival time. */
export function listen(url: string) {
  const controller = new AbortController();
  const queue: { data: { ids: string[] | '*' }; at: number }[] = [];
  const waiters: ((event: { data: { ids: string[] | '*' }; at: number }) => void)[] = [];
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  void (async () => {
    const response = await fetch(url, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'hello') connected();
        if (event !== 'update' || data === undefined) continue;
        const item = { data: JSON.parse(data) as { ids: string[] | '*' }, at: performance.now() };
        const waiter = waiters.shift();
        if (waiter) waiter(item);
        else queue.push(item);
      }
    }
  })().catch(() => undefined);
  return {
    ready,
    /** The next update whose ids include `id` (or everything). */
    async next(id?: string): Promise<{ data: { ids: string[] | '*' }; at: number }> {
      for (;;) {
        const item =
          queue.shift() ??
          (await new Promise<{ data: { ids: string[] | '*' }; at: number }>((resolve) =>
            waiters.push(resolve),
          ));
        if (!id || item.data.ids === '*' || item.data.ids.includes(id)) return item;
      }
    },
    /** Drops updates received so far (start-up builds). */
    clear() {
      queue.length = 0;
    },
    close: () => controller.abort(),
  };
}
