import { serve, type ServerType } from '@hono/node-server';
import type { FSWatcher } from 'chokidar';
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Config } from '../config/schema.ts';
import { createApp } from './routes.ts';
import { watchPaths } from './watch.ts';
import type { Update } from './view.ts';
import { Workspace } from './workspace.ts';

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

/**
 * Starts the preview: an HTTP server (hono) over a {@link Workspace}, a watcher on the issues,
 * the templates, the config and the theme folder, and server-sent events that tell open pages to reload. Content
 * problems never stop it: they show as messages and an overlay. Throws `IssuesFolderUnreadable`
 * when the issues folder cannot be read at start.
 */
export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  const workspace = await Workspace.open(options);
  const app = createApp(workspace);
  const streams = new Set<() => void>();
  app.get('/_preview/events', (c) => events(c, workspace, streams));

  const theme = workspace.themeDir();
  const watched = new Set([
    workspace.root,
    workspace.templatesDir,
    ...(options.config.file ? [options.config.file] : []),
    ...(theme ? [theme] : []),
  ]);
  const watcher: FSWatcher = watchPaths([...watched], (paths) => {
    workspace
      .changed(paths)
      .then(() => {
        // The config may now name another theme folder: watch that one too.
        const now = workspace.themeDir();
        if (now && !watched.has(now)) {
          watched.add(now);
          watcher.add(now);
        }
      })
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
