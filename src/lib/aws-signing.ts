import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

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

/** One POST to an AWS API that {@link signAwsPost} signs. */
export interface AwsPost {
  url: URL;
  /** The signing name: `lambda`, `sns`. */
  service: string;
  region: string;
  headers: Record<string, string>;
  body: string;
  /** Where the credentials come from: the standard AWS variables, else LocalStack's `test` pair. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Signs a POST with SigV4 and returns the headers to send (without `host`, which fetch sets). The
 * credentials are the environment's `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
 * `AWS_SESSION_TOKEN`, as every AWS SDK reads them; without them LocalStack's `test` pair.
 */
export async function signAwsPost(post: AwsPost): Promise<Record<string, string>> {
  const env = post.env ?? process.env;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const sessionToken = env['AWS_SESSION_TOKEN'];
  const credentials =
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : LOCAL_CREDENTIALS;
  const signer = new SignatureV4({ credentials, region: post.region, service: post.service, sha256: NodeSha256 });
  const { url } = post;
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: {},
    headers: { ...post.headers, host: url.host },
    body: post.body,
  });
  return Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name !== 'host'));
}
