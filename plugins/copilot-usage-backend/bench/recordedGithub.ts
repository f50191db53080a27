/*
 * A recording of what GitHub (the simulator) answered to one sync, kept on disk outside
 * the repo, and a server that answers the same requests from those files. The
 * benchmark's syncs and its limit baseline then read the same bytes from disk on
 * loopback, and the simulator's cost of generating a large org is paid once, not
 * inside the figures.
 *
 * Layout of a recording: `index.json` maps `METHOD /path?query` to the status, the
 * headers a client needs, and the body's file. Absolute URLs in bodies and `Link`
 * headers are stored with the placeholder ORIGIN, replaced by the replaying server's.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ORIGIN = '{{origin}}';
const KEPT_HEADERS = ['content-type', 'content-encoding', 'link'];

/** API routes answer JSON with URLs in them; everything else is a report download. */
const isApi = (url: string) => /^\/(orgs|enterprises|app)\//.test(url);

export interface RecordedAnswer {
  status: number;
  headers: Record<string, string>;
  file: string;
}

export type RecordingIndex = Record<string, RecordedAnswer>;

export interface GithubServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Where the recording of an org size lives: under the user's cache folder, keyed by
 * the simulator's source, so a changed simulator records anew.
 */
export function recordingDir(key: string): string {
  const simulatorSrc = path.resolve(
    __dirname,
    '../../../packages/github-simulator/src',
  );
  const hash = createHash('sha256');
  for (const file of fs.readdirSync(simulatorSrc).sort()) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
      hash.update(file).update(fs.readFileSync(path.join(simulatorSrc, file)));
    }
  }
  const cache =
    process.env.BENCH_CACHE_DIR ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
      'copilot-usage-bench',
    );
  return path.join(cache, `${key}-${hash.digest('hex').slice(0, 12)}`);
}

export function readRecording(dir: string): RecordingIndex | undefined {
  const index = path.join(dir, 'index.json');
  return fs.existsSync(index)
    ? JSON.parse(fs.readFileSync(index, 'utf8'))
    : undefined;
}

function listen(
  handler: http.RequestListener,
): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}` });
    }),
  );
}

const closing = (server: http.Server) => () =>
  new Promise<void>(resolve => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

/**
 * A proxy in front of `upstream` that records every answer into `dir`; `index.json`
 * is written by `close()`, so an interrupted recording is never taken for a whole one.
 */
export async function startRecordingProxy(
  upstream: string,
  dir: string,
): Promise<GithubServer> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const index: RecordingIndex = {};
  const upstreamUrl = new URL(upstream);
  let proxyOrigin = '';
  const { server, url } = await listen((req, res) => {
    const forwarded = http.request(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstreamUrl.host },
      },
      answer => {
        const chunks: Buffer[] = [];
        answer.on('data', chunk => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const name of KEPT_HEADERS) {
            const value = answer.headers[name];
            if (typeof value === 'string') {
              headers[name] = value.split(upstreamUrl.origin).join(ORIGIN);
            }
          }
          const isText = isApi(req.url ?? '') && !headers['content-encoding'];
          if (isText) {
            body = Buffer.from(
              body.toString('utf8').split(upstreamUrl.origin).join(ORIGIN),
            );
          }
          const file = `${Object.keys(index).length}.body`;
          fs.writeFileSync(path.join(dir, file), body);
          index[`${req.method} ${req.url}`] = {
            status: answer.statusCode ?? 500,
            headers,
            file,
          };
          res.writeHead(
            answer.statusCode ?? 500,
            Object.fromEntries(
              Object.entries(headers).map(([k, v]) => [
                k,
                v.split(ORIGIN).join(proxyOrigin),
              ]),
            ),
          );
          res.end(
            isText
              ? body.toString('utf8').split(ORIGIN).join(proxyOrigin)
              : body,
          );
        });
      },
    );
    forwarded.on('error', error => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(forwarded);
  });
  proxyOrigin = url;
  return {
    url,
    async close() {
      await closing(server)();
      fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
    },
  };
}

/** What the replaying server saw, as the simulator counts it. */
export interface ReplayStats {
  apiRequests: number;
  downloads: number;
  downloadsWithAuthorization: number;
  unknownRequests: number;
}

/** Answers the recorded requests from `dir`, streaming bodies from disk. */
export async function startReplayServer(
  dir: string,
): Promise<GithubServer & { stats: ReplayStats; resetStats(): void }> {
  const index = readRecording(dir);
  if (!index) throw new Error(`No recording in ${dir}`);
  let stats: ReplayStats = {
    apiRequests: 0,
    downloads: 0,
    downloadsWithAuthorization: 0,
    unknownRequests: 0,
  };
  let origin = '';
  const { server, url } = await listen((req, res) => {
    const answer = index[`${req.method} ${req.url}`];
    if (!answer) {
      stats.unknownRequests++;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not recorded"}');
      return;
    }
    const isDownload = !isApi(req.url ?? '');
    if (isDownload) {
      stats.downloads++;
      if (req.headers.authorization) stats.downloadsWithAuthorization++;
    } else {
      stats.apiRequests++;
    }
    const headers = Object.fromEntries(
      Object.entries(answer.headers).map(([k, v]) => [
        k,
        v.split(ORIGIN).join(origin),
      ]),
    );
    const file = path.join(dir, answer.file);
    if (isDownload || answer.headers['content-encoding']) {
      res.writeHead(answer.status, {
        ...headers,
        'content-length': fs.statSync(file).size,
      });
      fs.createReadStream(file).pipe(res);
    } else {
      const body = fs.readFileSync(file, 'utf8').split(ORIGIN).join(origin);
      res.writeHead(answer.status, headers);
      res.end(body);
    }
  });
  origin = url;
  return {
    url,
    close: closing(server),
    get stats() {
      return stats;
    },
    resetStats() {
      stats = {
        apiRequests: 0,
        downloads: 0,
        downloadsWithAuthorization: 0,
        unknownRequests: 0,
      };
    },
  };
}
