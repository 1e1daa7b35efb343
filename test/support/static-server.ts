import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
};

/** A running static server: the site's URL (ending in the base path) and every path requested. */
export interface StaticServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `dir` on 127.0.0.1 (a free port) under `base` (e.g. `/nyhetsbrev/`), like a web server
 * hosting the archive in a sub-path: folders serve their `index.html`, anything outside `base`
 * or missing is 404, so a link that only works at the domain root fails.
 */
export async function serveStatic(dir: string, base = '/'): Promise<StaticServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    requests.push(path);
    const notFound = () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    if (!path.startsWith(base)) return notFound();
    const file = normalize(join(dir, path.slice(base.length)));
    if (file !== dir && !file.startsWith(dir + sep)) return notFound();
    void resolveFile(file).then((found) => {
      if (!found) return notFound();
      response.writeHead(200, { 'content-type': TYPES[extname(found)] ?? 'application/octet-stream' });
      createReadStream(found).pipe(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

async function resolveFile(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (info.isFile()) return path;
    if (info.isDirectory()) return resolveFile(join(path, 'index.html'));
  } catch {
    // Missing: 404.
  }
  return undefined;
}
