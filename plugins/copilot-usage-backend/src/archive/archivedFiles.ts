import { gunzipSync, gzipSync } from 'node:zlib';
import { ReportEntries } from '../ingest/writeReportDay';
import { ArchiveBucket } from './S3ArchiveBucket';

/** The content type of every archived report and seat file. */
export const NDJSON_GZ = 'application/x-ndjson';

/** Lines as one gzipped NDJSON file; no lines is an empty file (GitHub had no data). */
export function gzipLines(lines: string[]): Buffer {
  return gzipSync(lines.length ? `${lines.join('\n')}\n` : '');
}

export function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter(line => line.trim() !== '');
}

/** The text of an archived gzipped object the bucket listed, or undefined when it is gone. */
export async function readGzipText(
  bucket: ArchiveBucket,
  key: string,
): Promise<string | undefined> {
  const body = await bucket.get(key);
  return body && gunzipSync(body).toString('utf8');
}

/** An archived report file as the day writer's input: empty means GitHub had no data that day. */
export function reportInput(text: string) {
  const lines = nonEmptyLines(text);
  if (lines.length === 0) {
    return { status: 'no_data' as const };
  }
  async function* entries(): ReportEntries {
    for (const [index, line] of lines.entries()) {
      yield { record: JSON.parse(line), line: index + 1 };
    }
  }
  return { status: 'ok' as const, entries: entries() };
}
