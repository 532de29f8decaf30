import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { createS3Client, type S3Config } from '@/infra/storage/s3.storage';

/** The S3-protocol test server that scripts/s3rver.sh (run by scripts/services.sh) starts. */
export const S3_TEST_ENDPOINT = `http://127.0.0.1:${process.env.MSP_S3_PORT ?? '4569'}`;

/** The `storage.s3` section for a bucket on the test server (its well-known test keys). */
export function s3TestConfig(bucket: string): S3Config {
  return {
    enabled: true,
    endpoint: S3_TEST_ENDPOINT,
    region: 'us-east-1',
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
}

/** A bucket of its own for a test, emptied and removed by drop(). */
export async function createTestBucket(): Promise<{ config: S3Config; drop(): Promise<void> }> {
  const bucket = `msproject-test-${randomBytes(6).toString('hex')}`;
  const config = s3TestConfig(bucket);
  const client = createS3Client(config);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (error) {
    client.destroy();
    throw new Error(
      `no S3 test server at ${S3_TEST_ENDPOINT} (bash scripts/s3rver.sh start): ${(error as Error).name}`,
    );
  }
  return {
    config,
    drop: async () => {
      try {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
        for (const entry of listed.Contents ?? []) {
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: entry.Key }));
        }
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
  };
}
