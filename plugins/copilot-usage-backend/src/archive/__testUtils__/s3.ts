/*
 * Test-only: a real S3-protocol server (s3rver) on loopback, with files in a temp
 * dir, and the real @aws-sdk/client-s3 pointed at it.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3ArchiveBucket } from '../S3ArchiveBucket';

// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require('s3rver');

export const TEST_BUCKET = 'copilot-usage-archive';

export interface TestS3 {
  endpoint: string;
  client: S3Client;
  bucket: S3ArchiveBucket;
  close(): Promise<void>;
}

/** Static credentials: s3rver accepts any; the real chain is never consulted in tests. */
export function testS3Client(endpoint: string): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    maxAttempts: 1,
  });
}

export async function startTestS3(): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: TEST_BUCKET }],
  });
  const address: AddressInfo = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = testS3Client(endpoint);
  return {
    endpoint,
    client,
    bucket: new S3ArchiveBucket(client, TEST_BUCKET),
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A bucket on a loopback port nobody listens on. */
export function unreachableBucket(): S3ArchiveBucket {
  return new S3ArchiveBucket(testS3Client('http://127.0.0.1:9'), TEST_BUCKET);
}
