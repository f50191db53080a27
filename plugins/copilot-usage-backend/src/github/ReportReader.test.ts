import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  DisallowedHostError,
  ExpiredLinkError,
  ReportFormatError,
  TruncatedReportError,
} from './errors';
import { JsonRecordSplitter } from './JsonRecordSplitter';
import { ReportReader } from './ReportReader';
import { LocalServer, startLocalServer } from './testUtils/localServer';

const users = [
  {
    user_id: 1,
    user_login: 'ada',
    day: '2026-11-10',
    note: 'brace } in a string "quoted"',
  },
  {
    user_id: 2,
    user_login: 'bob',
    day: '2026-11-10',
    totals_by_ide: [{ ide: 'vscode' }],
  },
  { user_id: 3, user_login: 'cé', day: '2026-11-10', totals_by_ide: [] },
];
const ndjson = `${users.map(u => JSON.stringify(u)).join('\n')}\n`;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

describe('ReportReader', () => {
  let server: LocalServer;
  let handler: Handler;

  beforeAll(async () => {
    server = await startLocalServer((req, res) => handler(req, res));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.requests.length = 0;
  });

  const reader = () => new ReportReader({ allowedHosts: ['127.0.0.1'] });
  const serve = (
    body: string | Buffer,
    headers: Record<string, string> = {},
  ) => {
    handler = (_req, res) => {
      res.writeHead(200, {
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      });
      res.end(body);
    };
  };
  async function readAll(r = reader(), path = '/report.ndjson?sig=abc') {
    const records = [];
    for await (const record of r.read(`${server.url}${path}`))
      records.push(record);
    return records;
  }

  it('reads NDJSON without sending credentials', async () => {
    serve(ndjson);
    await expect(readAll()).resolves.toEqual(users);
    expect(server.requests[0].headers.authorization).toBeUndefined();
    expect(server.requests[0].headers.cookie).toBeUndefined();
  });

  it('reads NDJSON with CRLF, blank lines and no final newline', async () => {
    serve(`\r\n${users.map(u => JSON.stringify(u)).join('\r\n\r\n')}`);
    await expect(readAll()).resolves.toEqual(users);
  });

  it('gives each NDJSON line as the file had it, and no text for other records', async () => {
    const texts = async (body: string) => {
      serve(body);
      const result = [];
      for await (const { text } of reader().entries(`${server.url}/r`)) {
        result.push(text);
      }
      return result;
    };
    // Spacing and key order as sent, the CR of a CRLF dropped.
    const spaced = '{ "user_id": 1,  "z": 2, "a": [ 1 ] }';
    await expect(texts(`${spaced}\r\n{"user_id":2}`)).resolves.toEqual([
      spaced,
      '{"user_id":2}',
    ]);
    // The elements of a one-line array; none for a record over several lines, nor for
    // a day_totals entry (not a record of the file).
    await expect(texts(JSON.stringify(users))).resolves.toEqual(
      users.map(u => JSON.stringify(u)),
    );
    await expect(
      texts(`${JSON.stringify(users[0], null, 2)}\n{"user_id":2}\n`),
    ).resolves.toEqual([undefined, '{"user_id":2}']);
    await expect(
      texts(`${JSON.stringify({ day_totals: [{ day: '2026-11-10' }] })}\n`),
    ).resolves.toEqual([undefined]);
  });

  it('reads a JSON array', async () => {
    serve(JSON.stringify(users, null, 2));
    await expect(readAll()).resolves.toEqual(users);
  });

  it('reads a single pretty-printed object', async () => {
    const aggregate = {
      day: '2026-11-10',
      daily_active_users: 3,
      totals_by_ide: [{ ide: 'vscode', loc_added_sum: 3 }],
    };
    serve(JSON.stringify(aggregate, null, 2));
    await expect(readAll()).resolves.toEqual([aggregate]);
  });

  it('unwraps day_totals wrappers, one or several, carrying the wrapper ids', async () => {
    const wrapper = (days: string[]) => ({
      report_start_day: '2026-10-14',
      organization_id: '999',
      enterprise_id: '1',
      day_totals: days.map(day => ({ day, daily_active_users: 2 })),
    });
    serve(
      `${JSON.stringify(wrapper(['2026-11-09', '2026-11-10']))}\n${JSON.stringify(wrapper(['2026-11-11']))}\n`,
    );
    await expect(readAll()).resolves.toEqual([
      {
        organization_id: '999',
        enterprise_id: '1',
        day: '2026-11-09',
        daily_active_users: 2,
      },
      {
        organization_id: '999',
        enterprise_id: '1',
        day: '2026-11-10',
        daily_active_users: 2,
      },
      {
        organization_id: '999',
        enterprise_id: '1',
        day: '2026-11-11',
        daily_active_users: 2,
      },
    ]);
  });

  it('decodes gzip, with and without Content-Encoding', async () => {
    serve(gzipSync(ndjson), { 'content-encoding': 'gzip' });
    await expect(readAll()).resolves.toEqual(users);
    serve(gzipSync(ndjson), { 'content-type': 'application/gzip' });
    await expect(readAll()).resolves.toEqual(users);
  });

  it('streams: the first records arrive before the body is complete', async () => {
    let finish!: () => void;
    handler = (_req, res) => {
      res.writeHead(200);
      res.write(
        `${JSON.stringify(users[0])}\n${JSON.stringify(users[1]).slice(0, 10)}`,
      );
      finish = () => res.end(`${JSON.stringify(users[1]).slice(10)}\n`);
    };
    const iterator = reader().read(`${server.url}/slow.ndjson`);
    await expect(iterator.next()).resolves.toEqual({
      done: false,
      value: users[0],
    });
    finish();
    await expect(iterator.next()).resolves.toEqual({
      done: false,
      value: users[1],
    });
    await expect(iterator.next()).resolves.toEqual({
      done: true,
      value: undefined,
    });
  });

  it('names the line of a malformed NDJSON record', async () => {
    serve(
      `${JSON.stringify(users[0])}\n${JSON.stringify(users[1])}\n{"user_id": 3, "user_login": nope}\n${JSON.stringify(users[2])}\n`,
    );
    const error = await readAll().catch(e => e);
    expect(error).toBeInstanceOf(ReportFormatError);
    expect(error.line).toBe(3);
    expect(error.message).toContain('line 3');
  });

  it('names the line of an NDJSON record cut in the middle of its line', async () => {
    serve(
      `${JSON.stringify(users[0])}\n{"user_id": 2, "user_login": "bob"\n${JSON.stringify(users[2])}\n`,
    );
    const error = await readAll().catch(e => e);
    expect(error).toBeInstanceOf(ReportFormatError);
    expect(error.line).toBe(2);
  });

  it('names the line of garbage between records', async () => {
    serve(`${JSON.stringify(users[0])}\nnot json\n`);
    await expect(readAll()).rejects.toMatchObject({
      name: 'ReportFormatError',
      line: 2,
    });
  });

  it('names the record index of a malformed array element', async () => {
    serve(
      `[${JSON.stringify(users[0])},\n${JSON.stringify(users[1])},\n{"user_id": 3, "bad": tru}]`,
    );
    const error = await readAll().catch(e => e);
    expect(error).toBeInstanceOf(ReportFormatError);
    expect(error.record).toBe(2);
    expect(error.message).toContain('record 2');
  });

  it('rejects records that are not objects', async () => {
    serve('[1, 2]');
    await expect(readAll()).rejects.toBeInstanceOf(ReportFormatError);
  });

  it('fails on a body shorter than its Content-Length (connection cut)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': String(ndjson.length + 500) });
      res.write(ndjson);
      setTimeout(() => res.destroy(), 20);
    };
    await expect(readAll()).rejects.toBeInstanceOf(TruncatedReportError);
  });

  describe('spool', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'copilot-usage-spool-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const entriesOf = async (iterable: AsyncIterable<{ record: unknown }>) => {
      const records = [];
      for await (const { record } of iterable) records.push(record);
      return records;
    };

    it('downloads first, then reads the records back from disk, as often as asked, until disposed', async () => {
      serve(gzipSync(ndjson), { 'content-encoding': 'gzip' });
      const spooled = await reader().spool(`${server.url}/r?sig=abc`, { dir });
      expect(server.requests).toHaveLength(1);
      expect(fs.readdirSync(dir)).toHaveLength(1);
      serve('{"user_id": 99}\n'); // the server changed: what was downloaded counts
      await expect(entriesOf(spooled.entries())).resolves.toEqual(users);
      await expect(entriesOf(spooled.entries())).resolves.toEqual(users);
      expect(server.requests).toHaveLength(1);
      await spooled.dispose();
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('fails at download time on a cut body or a refused host, leaving no file', async () => {
      handler = (_req, res) => {
        res.writeHead(200, { 'content-length': String(ndjson.length + 500) });
        res.write(ndjson);
        setTimeout(() => res.destroy(), 20);
      };
      await expect(
        reader().spool(`${server.url}/r`, { dir }),
      ).rejects.toBeInstanceOf(TruncatedReportError);
      await expect(
        reader().spool('https://elsewhere.example/r', { dir }),
      ).rejects.toBeInstanceOf(DisallowedHostError);
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it('still finds a malformed record when the records are read', async () => {
      serve(`${JSON.stringify(users[0])}\n{"user_id": 1,,}\n`);
      const spooled = await reader().spool(`${server.url}/r`, { dir });
      await expect(entriesOf(spooled.entries())).rejects.toThrow(/line 2/);
      await spooled.dispose();
    });
  });

  it('fails on a file cut inside a record even without Content-Length', async () => {
    handler = (_req, res) => {
      res.writeHead(200); // chunked, properly terminated, but the content stops mid-record
      res.end(`${JSON.stringify(users[0])}\n{"user_id": 2, "user_lo`);
    };
    await expect(readAll()).rejects.toBeInstanceOf(TruncatedReportError);
  });

  it('fails on a JSON array that is never closed', async () => {
    serve(`[${JSON.stringify(users[0])},`);
    await expect(readAll()).rejects.toBeInstanceOf(TruncatedReportError);
  });

  it('fails on a cut gzip stream', async () => {
    const gz = gzipSync(ndjson);
    serve(gz.subarray(0, gz.length - 12), {
      'content-type': 'application/gzip',
    });
    await expect(readAll()).rejects.toBeInstanceOf(TruncatedReportError);
  });

  it.each([403, 410])('turns HTTP %s into ExpiredLinkError', async status => {
    handler = (_req, res) => {
      res.writeHead(status);
      res.end('<Error>AuthenticationFailed</Error>');
    };
    await expect(readAll()).rejects.toBeInstanceOf(ExpiredLinkError);
  });

  it('does not put the link signature in error messages', async () => {
    handler = (_req, res) => {
      res.writeHead(500);
      res.end();
    };
    const error = await readAll(
      reader(),
      '/report.ndjson?sig=very-secret',
    ).catch(e => e);
    expect(error.message).toContain('HTTP 500');
    expect(error.message).not.toContain('very-secret');
  });

  it('refuses hosts that are not allowed, naming the host, without a request', async () => {
    const r = new ReportReader({ allowedHosts: ['*.azurefd.net'] });
    const error = await readAll(r).catch(e => e);
    expect(error).toBeInstanceOf(DisallowedHostError);
    expect(error.message).toContain("'127.0.0.1:");
    expect(server.requests).toHaveLength(0);
  });

  it('checks the host of every redirect', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: 'https://evil.example.com/steal' });
      res.end();
    };
    await expect(readAll()).rejects.toThrow(
      "'evil.example.com' is not allowed",
    );
  });

  it('matches wildcard host patterns', () => {
    const r = new ReportReader({
      allowedHosts: ['*.azurefd.net', 'files.example.com', 'localhost:8080'],
    });
    expect(
      r.isAllowed('https://copilot-reports-production-x.b01.azurefd.net/a'),
    ).toBe(true);
    expect(r.isAllowed('https://COPILOT.AZUREFD.NET/a')).toBe(true);
    expect(r.isAllowed('https://azurefd.net/a')).toBe(false);
    expect(r.isAllowed('https://evilazurefd.net/a')).toBe(false);
    expect(r.isAllowed('https://azurefd.net.evil.com/a')).toBe(false);
    expect(r.isAllowed('https://files.example.com/a')).toBe(true);
    expect(r.isAllowed('https://sub.files.example.com/a')).toBe(false);
    expect(r.isAllowed('http://localhost:8080/a')).toBe(true);
    expect(r.isAllowed('http://localhost:9090/a')).toBe(false);
  });
});

describe('JsonRecordSplitter', () => {
  it('splits NDJSON at any chunk boundary, the lines JSON.parse refuses through the scanner', () => {
    const lines = users.map(user => JSON.stringify(user));
    // CRLF, a blank line, two records on one line, no final line break.
    const text = `${lines[0]}\r\n\n${lines.slice(1).join('\n')}\n${lines[0]}${lines[1]}`;
    const expected = [...users, users[0], users[1]];
    for (const size of [1, 3, 17, 64, text.length]) {
      const splitter = new JsonRecordSplitter();
      const out = [];
      const lineOf = [];
      for (let i = 0; i < text.length; i += size) {
        for (const record of splitter.push(text.slice(i, i + size))) {
          out.push(record);
          lineOf.push(splitter.recordLine);
        }
      }
      for (const record of splitter.end()) {
        out.push(record);
        lineOf.push(splitter.recordLine);
      }
      expect(out).toEqual(expected);
      expect(lineOf[1]).toBe(3);
      expect(lineOf[lineOf.length - 1]).toBe(users.length + 2);
    }
  });

  it('names the line of a bad NDJSON line, and of a record cut at the end of the file', () => {
    const good = JSON.stringify(users[0]);
    const run = (text: string) => () => {
      const splitter = new JsonRecordSplitter();
      return [...splitter.push(text), ...splitter.end()];
    };
    expect(run(`${good}\n${good}\n{"user_id": 1,,}\n`)).toThrow(
      /Malformed report record at line 3/,
    );
    expect(run(`${good}\n42\n`)).toThrow(/line 2.*unexpected '4'/);
    expect(run(`${good}\n[1]\n`)).toThrow(/line 2.*expected a JSON object/);
    expect(run(`${good}\n{"user_id": 1,`)).toThrow(
      /ends inside a record starting at line 2/,
    );
  });

  it('splits records across arbitrary chunk boundaries', () => {
    const text = `${`[${JSON.stringify(users)}`.slice(1)}\n`;
    for (const size of [1, 2, 7, 64]) {
      const splitter = new JsonRecordSplitter();
      const out = [];
      for (let i = 0; i < text.length; i += size)
        out.push(...splitter.push(text.slice(i, i + size)));
      out.push(...splitter.end());
      expect(out).toEqual(users);
    }
  });
});
