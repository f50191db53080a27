import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CopilotUsageConfig } from '../config';

/** The few object operations the archive needs; S3 in production, s3rver in tests. */
export interface ArchiveBucket {
  /** Where the objects go, for messages: `s3://bucket`. */
  readonly location: string;
  put(key: string, body: Buffer | string, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Every key that starts with `prefix`, ascending. */
  list(prefix: string): Promise<string[]>;
}

export type S3ArchiveConfig = NonNullable<
  NonNullable<CopilotUsageConfig['archive']>['s3']
>;

/** An S3 bucket (or an S3-compatible store) through `@aws-sdk/client-s3`. */
export class S3ArchiveBucket implements ArchiveBucket {
  readonly location: string;

  /**
   * A client on the default AWS credential chain (environment, shared config, web
   * identity, container or instance role); nothing secret is read from app config.
   */
  static fromConfig(config: S3ArchiveConfig): S3ArchiveBucket {
    const client = new S3Client({
      region: config.region ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(config.endpoint && { endpoint: config.endpoint }),
      ...(config.forcePathStyle !== undefined && {
        forcePathStyle: config.forcePathStyle,
      }),
    });
    return new S3ArchiveBucket(client, config.bucket);
  }

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {
    this.location = `s3://${bucket}`;
  }

  async put(key: string, body: Buffer | string, contentType: string) {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
      }),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key }),
      );
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') {
        return undefined;
      }
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) keys.push(object.Key);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
