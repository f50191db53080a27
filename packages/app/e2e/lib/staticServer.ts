import { createReadStream, promises as fs } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the production build of the app (`packages/app/dist`) the way a static
 * host would: files as they are, every other path gets `index.html` so the
 * app's router handles it. The app calls the backend on its own origin
 * (`backend.baseUrl`), as in `yarn start`.
 */
export async function serveStatic(
  dir: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const root = normalize(dir) + sep;
  const server: Server = createServer(async (req, res) => {
    const pathname = decodeURIComponent(
      new URL(req.url ?? '/', 'http://localhost').pathname,
    );
    let file = normalize(join(root, pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    const stat = await fs.stat(file).catch(() => undefined);
    if (!stat?.isFile()) {
      file = join(root, 'index.html');
    }
    res.writeHead(200, {
      'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
