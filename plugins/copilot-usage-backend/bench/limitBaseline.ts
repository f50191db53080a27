/*
 * The machine's limit for a first sync, measured on the same recorded files in the
 * same run: ask for the same report links, stream the same downloads from loopback,
 * JSON.parse each line, and insert narrow rows with prepared better-sqlite3
 * statements, one transaction per day. No validation, breakdowns, rollups or raw
 * lines: what any sync must do at the least.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Readable } from 'node:stream';
import { forEachLimited } from '../src/lib/concurrency';
import { RecordingIndex } from './recordedGithub';

const ROW_REPORT =
  /^GET (\/orgs\/[^/]+\/copilot\/metrics\/reports\/(users|user-teams)-1-day\?day=(\d{4}-\d{2}-\d{2}))$/;

type UserRow = [number, number, string, ...number[]];

async function* lines(url: string): AsyncGenerator<string> {
  const response = await fetch(url);
  if (!response.ok || !response.body) {
    throw new Error(`download ${response.status}`);
  }
  const input = Readable.fromWeb(response.body as any);
  for await (const line of readline.createInterface({
    input,
    crlfDelay: Infinity,
  })) {
    if (line) yield line;
  }
}

/** Seconds and rows of the limit baseline over every recorded per-user and user-teams day. */
export async function runLimitBaseline(
  baseUrl: string,
  index: RecordingIndex,
  options: { concurrency: number },
): Promise<{ seconds: number; userRows: number; membershipRows: number }> {
  const file = path.join(
    os.tmpdir(),
    `copilot-usage-limit-${process.pid}-${Date.now()}.sqlite`,
  );
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE user_day (day TEXT, user_id INTEGER, login TEXT,
    interactions INTEGER, generations INTEGER, acceptances INTEGER,
    loc_suggested_add INTEGER, loc_suggested_delete INTEGER, loc_added INTEGER,
    loc_deleted INTEGER, chat INTEGER, agent INTEGER, cli INTEGER,
    PRIMARY KEY (day, user_id))`);
  db.exec(`CREATE TABLE user_team_day (day TEXT, team TEXT, user_id INTEGER,
    PRIMARY KEY (day, team, user_id))`);
  const insertUser = db.prepare(
    'INSERT INTO user_day VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const insertMember = db.prepare('INSERT INTO user_team_day VALUES (?,?,?)');
  const writeUsers = db.transaction((rows: UserRow[]) => {
    for (const row of rows) insertUser.run(...row);
  });
  const writeMembers = db.transaction(
    (rows: Array<[string, string, number]>) => {
      for (const row of rows) insertMember.run(...row);
    },
  );

  const requests = Object.keys(index)
    .map(key => ROW_REPORT.exec(key))
    .filter((match): match is RegExpExecArray => Boolean(match))
    .filter(match => index[match[0]].status === 200);
  let userRows = 0;
  let membershipRows = 0;
  const started = process.hrtime.bigint();
  await forEachLimited(
    requests,
    options.concurrency,
    () => true,
    async match => {
      const [, apiPath, report, day] = match;
      const answer = await fetch(`${baseUrl}${apiPath}`);
      const { download_links: links } = (await answer.json()) as {
        download_links: string[];
      };
      for (const link of links) {
        if (report === 'users') {
          const rows: UserRow[] = [];
          for await (const line of lines(link)) {
            const r = JSON.parse(line);
            rows.push([
              // day, id, login, the seven counters, three flags
              r.day as any,
              r.user_id,
              r.user_login,
              r.user_initiated_interaction_count,
              r.code_generation_activity_count,
              r.code_acceptance_activity_count,
              r.loc_suggested_to_add_sum,
              r.loc_suggested_to_delete_sum,
              r.loc_added_sum,
              r.loc_deleted_sum,
              r.used_chat ? 1 : 0,
              r.used_agent ? 1 : 0,
              r.used_cli ? 1 : 0,
            ] as UserRow);
          }
          writeUsers(rows);
          userRows += rows.length;
        } else {
          const rows: Array<[string, string, number]> = [];
          for await (const line of lines(link)) {
            const r = JSON.parse(line);
            rows.push([day, r.slug, r.user_id]);
          }
          writeMembers(rows);
          membershipRows += rows.length;
        }
      }
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  for (const suffix of ['', '-wal', '-shm']) {
    fs.rmSync(`${file}${suffix}`, { force: true });
  }
  return { seconds, userRows, membershipRows };
}
