import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { InvokeOutcome } from '../outcome.js';
import { postInvocation } from './url.js';

/** The pair LocalStack accepts when no AWS credentials are in the environment. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape @smithy/signature-v4 asks for. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }
}

/** The region of a function ARN, or `fallback` for a bare name. */
function regionOf(functionArn: string, fallback: string): string {
  return /^arn:[^:]+:lambda:([^:]+):/.exec(functionArn)?.[1] ?? fallback;
}

/**
 * Calls the AWS Lambda Invoke API (RequestResponse) at `endpoint`, SigV4-signed for service
 * `lambda` in the ARN's region with the standard AWS environment credentials. An answer marked
 * `X-Amz-Function-Error` (Unhandled or Handled) is the handler's error.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
export async function invokeLambdaEndpoint(
  endpoint: string,
  functionArn: string,
  event: unknown,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
  defaultRegion = 'us-east-1',
): Promise<InvokeOutcome> {
  const url = new URL(`${endpoint}/2015-03-31/functions/${encodeURIComponent(functionArn)}/invocations`);
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : LOCAL_CREDENTIALS;
  const signer = new SignatureV4({ credentials, region: regionOf(functionArn, defaultRegion), service: 'lambda', sha256: NodeSha256 });
  const body = JSON.stringify(event);
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse' },
    body,
  });
  const headers = Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
  return postInvocation(url, headers, body, timeoutMs, { unreachable: endpoint, answer: `${endpoint} for ${functionArn}` });
}
