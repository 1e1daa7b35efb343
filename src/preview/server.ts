import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { FSWatcher } from 'chokidar';
import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Config } from '../config/schema.ts';
import { personalise, SAMPLE_TOKEN, unsubscribeUrl } from '../render/personalise.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { issuePage, notFoundPage, startPage } from './pages.ts';
import { watchPaths } from './watch.ts';
import { Workspace, type Update } from './workspace.ts';

/** Options of {@link startPreview}. */
export interface PreviewOptions {
  issuesDir: string;
  config: Config;
  /** Re-reads the config when its file changes; throws a UserError when it is invalid. */
  reloadConfig?: () => Config;
  /** 0 picks a free port. */
  port?: number;
  /** Loopback by default: drafts are not for the whole network. */
  host?: string;
  templatesDir?: string;
}

/** A running preview server. */
export interface PreviewServer {
  url: string;
  port: number;
  workspace: Workspace;
  /** Stops watching, ends open event streams, closes the server. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
};

/**
 * Starts the preview: an HTTP server (hono) over a {@link Workspace}, a watcher on the issues,
 * the templates and the config, and server-sent events that tell open pages to reload. Content
 * problems never stop it: they show as messages and an overlay. Throws `IssuesFolderUnreadable`
 * when the issues folder cannot be read at start.
 */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const workspace = await Workspace.open(options);
  const app = createApp(workspace);
  const streams = new Set<() => void>();
  app.get('/_preview/events', (c) => events(c, workspace, streams));

  const watched = [
    workspace.root,
    workspace.templatesDir,
    ...(options.config.file ? [options.config.file] : []),
  ];
  const watcher: FSWatcher = watchPaths(watched, (paths) => {
    workspace
      .changed(paths)
      .catch((error: unknown) => console.error('nyhetsbrev preview: rebuild failed', error));
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  const { server, port } = await listen(app, options.port ?? 4321, options.host ?? '127.0.0.1');
  void workspace.warm().catch(() => undefined);
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  return {
    url,
    port,
    workspace,
    async close() {
      for (const end of streams) end();
      await watcher.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(app: Hono, port: number, hostname: string): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) =>
      resolve({ server, port: info.port }),
    );
    server.once('error', reject);
  });
}

/** The preview's routes (without the event stream, which needs the server's lifecycle). */
export function createApp(workspace: Workspace): Hono {
  const app = new Hono();
  const asset = (name: string) => readFile(join(TEMPLATES_DIR, 'preview', name));

  app.get('/', (c) => {
    const rows = workspace
      .ids()
      .map((id) => ({ id, parsed: workspace.parsed(id), view: workspace.peek(id) }));
    return c.html(startPage(rows, workspace.configFailure));
  });
  app.get('/_preview/:file{(client\\.js|preview\\.css)}', async (c) => {
    const file = c.req.param('file');
    return c.body(await asset(file), 200, {
      'content-type': TYPES[extname(file)]!,
      'cache-control': 'no-cache',
    });
  });
  app.get('/issues/:id', (c) => c.redirect(`/issues/${encodeURIComponent(c.req.param('id'))}/`));
  app.get('/issues/:id/', async (c) => {
    const id = c.req.param('id');
    const view = await workspace.view(id);
    if (!view) return c.html(notFoundPage(id), 404);
    const page = issuePage({
      view,
      parsed: workspace.parsed(id),
      files: workspace.filesOf(id),
      cwd: workspace.displayRoot(),
      configFailure: workspace.configFailure,
    });
    return c.html(page, 200, { 'cache-control': 'no-store' });
  });
  app.get('/issues/:id/email.html', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    if (!view?.shown) return c.notFound();
    const { config } = workspace;
    const email = personalise(view.shown.built.email, {
      unsubscribeUrl: unsubscribeUrl(config, SAMPLE_TOKEN),
    });
    // Images and links to the archive point at the public site; show this preview's copies instead.
    return c.html(email.html.split(config.baseUrl).join('/site/'), 200, { 'cache-control': 'no-store' });
  });
  app.get('/issues/:id/text.txt', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    if (!view?.shown) return c.notFound();
    return c.text(view.shown.built.email.text, 200, { 'cache-control': 'no-store' });
  });
  app.get('/issues/:id/state.json', async (c) => {
    const id = c.req.param('id');
    const view = await workspace.view(id);
    if (!view) return c.json({ error: 'IssueNotFound' }, 404);
    const { messagesAsJson } = await import('../report/reporter.ts');
    return c.json({
      id,
      version: view.version,
      summary: view.result?.summary ?? null,
      failure: view.failure ?? null,
      sizes: view.shown?.sizes ?? null,
      messages: messagesAsJson(workspace.filesOf(id), { cwd: workspace.displayRoot() }),
    });
  });
  app.get('/site/', (c) => c.redirect('/'));
  app.get('/site/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (file.includes('/') || file.startsWith('.')) return c.notFound();
    try {
      const body = await readFile(join(workspace.templatesDir, 'web', 'assets', file));
      return c.body(body, 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return c.notFound();
    }
  });
  app.get('/site/:id/', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    if (!view?.shown) return c.notFound();
    return c.html(view.shown.built.web, 200, { 'cache-control': 'no-store' });
  });
  app.get('/site/:id/images/:file', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    const output = `images/${c.req.param('file')}`;
    const image = view?.shown?.built.issue.images.find(
      (each) => each.output === output || each.href === output,
    );
    if (!image) return c.notFound();
    try {
      const body = await readFile(image.source);
      return c.body(body, 200, {
        'content-type': TYPES[extname(image.source).toLowerCase()] ?? 'application/octet-stream',
      });
    } catch {
      return c.notFound();
    }
  });
  app.onError((error, c) => {
    console.error('nyhetsbrev preview: request failed', error);
    return c.text(`The preview could not answer this request (a bug): ${error.message}`, 500);
  });
  return app;
}

/** Server-sent events: `update` with the ids that changed; a comment every 15 s keeps proxies open. */
function events(c: Context, workspace: Workspace, streams: Set<() => void>): Response {
  const issue = c.req.query('issue');
  return streamSSE(c, async (stream) => {
    const release = issue ? workspace.watch(issue) : () => undefined;
    let done!: () => void;
    const ended = new Promise<void>((resolve) => (done = resolve));
    const send = (update: Update) =>
      void stream.writeSSE({ event: 'update', data: JSON.stringify(update) }).catch(done);
    workspace.on('update', send);
    streams.add(done);
    stream.onAbort(done);
    const ping = setInterval(() => void stream.write(': ping\n\n').catch(done), 15_000);
    await stream.writeSSE({ event: 'hello', data: JSON.stringify({ version: 0 }) });
    await ended;
    clearInterval(ping);
    workspace.off('update', send);
    streams.delete(done);
    release();
  });
}
