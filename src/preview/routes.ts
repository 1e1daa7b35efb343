import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import { CALENDAR_FILE, issueCalendar } from '../assemble/calendar.ts';
import { renderCalendar } from '../render/ics.ts';
import { renderStylesheet } from '../render/stylesheet.ts';
import { sampleEmail } from '../render/personalise.ts';
import { messagesAsJson } from '../report/reporter.ts';
import { TEMPLATES_DIR } from '../render/templates.ts';
import { issuePage } from './issue-page.ts';
import { notFoundPage, startPage } from './pages.ts';
import { reportRoutes } from './report-page.ts';
import type { Workspace } from './workspace.ts';

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

/** The preview's routes (without the event stream, which needs the server's lifecycle). */
export function createApp(workspace: Workspace): Hono {
  const app = new Hono();
  pageRoutes(app, workspace);
  issueRoutes(app, workspace);
  siteAssetRoutes(app, workspace);
  siteIssueRoutes(app, workspace);
  reportRoutes(app, workspace);
  app.onError((error, c) => {
    console.error('nyhetsbrev preview: request failed', error);
    return c.text(`The preview could not answer this request (a bug): ${error.message}`, 500);
  });
  return app;
}

/** The start page, the issue pages and the preview's own script and styles. */
function pageRoutes(app: Hono, workspace: Workspace): void {
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
}

/** The rendered email, its text part and the issue's state as JSON. */
function issueRoutes(app: Hono, workspace: Workspace): void {
  app.get('/issues/:id/email.html', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    if (!view?.shown) return c.notFound();
    const { config } = workspace;
    const email = sampleEmail(view.shown.built.email, config);
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
    return c.json({
      id,
      version: view.version,
      summary: view.result?.summary ?? null,
      failure: view.failure ?? null,
      sizes: view.shown?.sizes ?? null,
      messages: messagesAsJson(workspace.filesOf(id), { cwd: workspace.displayRoot() }),
    });
  });
}

/** The archive's shared files: its stylesheet, the web assets and the theme's logos. */
function siteAssetRoutes(app: Hono, workspace: Workspace): void {
  app.get('/site/', (c) => c.redirect('/'));
  app.get('/site/assets/:file', async (c) => {
    const file = c.req.param('file');
    if (file.includes('/') || file.startsWith('.')) return c.notFound();
    if (file === 'style.css') {
      const css = renderStylesheet(workspace.config.theme, workspace.templatesDir);
      return c.body(css, 200, { 'content-type': TYPES['.css']!, 'cache-control': 'no-store' });
    }
    try {
      const body = await readFile(join(workspace.templatesDir, 'web', 'assets', file));
      return c.body(body, 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    } catch {
      return c.notFound();
    }
  });
  // The theme's logo files, which the archive holds under assets/theme/.
  app.get('/site/assets/theme/*', async (c) => {
    const path = decodeURIComponent(c.req.path.slice('/site/'.length));
    const { logo } = workspace.config.theme;
    const image =
      logo && [logo.light, logo.dark, logo.email.light, logo.email.dark].find((each) => each.path === path);
    if (!image) return c.notFound();
    const body = await readFile(image.source);
    return c.body(body, 200, {
      'content-type': TYPES[extname(image.source).toLowerCase()] ?? 'application/octet-stream',
    });
  });
}

/** The web page as the archive would serve it, with the issue's calendar and images. */
function siteIssueRoutes(app: Hono, workspace: Workspace): void {
  app.get('/site/:id/', async (c) => {
    const view = await workspace.view(c.req.param('id'));
    if (!view?.shown) return c.notFound();
    return c.html(view.shown.built.web, 200, { 'cache-control': 'no-store' });
  });
  // The issue's calendar, which its web page and email link to ("Lägg till i kalender").
  app.get(`/site/:id/${CALENDAR_FILE}`, async (c) => {
    const id = c.req.param('id');
    await workspace.view(id);
    const parsed = workspace.parsed(id);
    if (!parsed?.events.length) return c.notFound();
    return c.body(renderCalendar(issueCalendar(parsed), workspace.config), 200, {
      'content-type': 'text/calendar; charset=utf-8',
      'cache-control': 'no-store',
    });
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
}
