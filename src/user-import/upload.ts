import { createHash } from 'node:crypto';
import type { Services } from '../services.js';
import { constantTimeEqual, sha256Hex } from '../crypto/compare.js';

/*
 * The PUT of an import job's CSV to its PreSignedUrl. On AWS that URL is an S3 pre-signed URL, so
 * Cognate answers as S3 does: 200 with an ETag, or an XML <Error> with S3's codes.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-creating-import-job.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */

/** Cognate's limit on one CSV file. */
export const MAX_CSV_BYTES = 100 * 1024 * 1024;

/** AWS signs the URL for a server-side encrypted upload, so a PUT without this header does not match it. */
const ENCRYPTION_HEADER_VALUE = 'aws:kms';

export interface UploadRequest {
  poolId: string;
  jobId: string;
  token: string | undefined;
  /** The `x-amz-server-side-encryption` header. */
  encryption: string | undefined;
  body: Buffer;
  requestId: string;
}

export interface UploadAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** S3's XML error document; codes and messages are fixed strings and the request ID a UUID, so nothing needs escaping. */
export function s3Error(status: number, code: string, message: string, requestId: string): UploadAnswer {
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${requestId}</RequestId></Error>`,
  };
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your key and signing method.';

/**
 * Keeps the CSV for the job the URL names, if the URL's token is that job's, the URL has not
 * expired, and the job has not been started. A second upload before the start replaces the first.
 */
export async function acceptUpload(services: Services, request: UploadRequest): Promise<UploadAnswer> {
  const { requestId } = request;
  const job = await services.store.userImportJobs.get(request.poolId, request.jobId);
  if (!job) return s3Error(403, 'AccessDenied', 'Access Denied', requestId);
  if (request.token === undefined || !constantTimeEqual(sha256Hex(request.token), job.uploadTokenHash)) {
    return s3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, requestId);
  }
  if (request.encryption !== ENCRYPTION_HEADER_VALUE) return s3Error(403, 'SignatureDoesNotMatch', SIGNATURE_MISMATCH, requestId);
  if (services.clock.now() > job.uploadExpiresAt) return s3Error(403, 'AccessDenied', 'Request has expired', requestId);
  const stored =
    job.status === 'Created' && (await services.store.userImportJobs.putCsv(job.poolId, job.jobId, request.body.toString('utf8')));
  if (!stored) return s3Error(403, 'AccessDenied', 'Access Denied', requestId);
  const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
  return {
    status: 200,
    headers: { etag, 'x-amz-request-id': requestId, 'x-amz-server-side-encryption': ENCRYPTION_HEADER_VALUE },
    body: '',
  };
}
