import { createHash, createHmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type autocannon from 'autocannon';

/**
 * Raw awsJson1_1 requests, as the AWS SDK puts them on the wire, built once per request by the load
 * generator. Admin operations need SigV4 on every request, and autocannon's `setupRequest` hook is
 * synchronous while `@smithy/signature-v4` is not, so requests are signed here with node:crypto; the
 * signer is checked against `@smithy/signature-v4` before a run ({@link checkSignerAgainstSmithy}).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */

export const SERVICE = 'cognito-idp';
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface Signer {
  credentials: Credentials;
  region: string;
}

const sha256Hex = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20240305T070409Z` */
function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const signingKeys = new Map<string, Buffer>();

function signingKey(signer: Signer, day: string): Buffer {
  const cacheKey = `${signer.credentials.secretAccessKey}/${day}/${signer.region}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${signer.credentials.secretAccessKey}`, day), signer.region), SERVICE), 'aws4_request');
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** Headers of a SigV4-signed POST / (the headers the AWS SDK signs: content-type, host, x-amz-date, x-amz-target). */
export function signHeaders(
  signer: Signer,
  host: string,
  headers: Record<string, string>,
  body: string,
  now = new Date(),
): Record<string, string> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const all: Record<string, string> = { ...headers, host, 'x-amz-date': date };
  const names = Object.keys(all)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(all).map(([n, v]) => [n.toLowerCase(), v.trim()]));
  const signedHeaders = names.join(';');
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${lower[n]}`), '', signedHeaders, sha256Hex(body)].join('\n');
  const scope = `${day}/${signer.region}/${SERVICE}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', signingKey(signer, day)).update(stringToSign, 'utf8').digest('hex');
  return {
    ...headers,
    host,
    'x-amz-date': date,
    authorization: `AWS4-HMAC-SHA256 Credential=${signer.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Fails loudly if the hand-rolled signer disagrees with the SDK's signer on a sample request. */
export async function checkSignerAgainstSmithy(): Promise<void> {
  const signer: Signer = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'us-east-1' };
  const now = new Date('2024-03-05T07:04:09Z');
  const body = '{"UserPoolId":"us-east-1_abcdefghi","Username":"bench"}';
  const headers = { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}AdminGetUser` };
  const ours = signHeaders(signer, '127.0.0.1:9229', headers, body, now);
  const smithy = new SignatureV4({
    service: SERVICE,
    region: signer.region,
    credentials: signer.credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await smithy.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 9229,
      path: '/',
      headers: { ...headers, host: '127.0.0.1:9229' },
      body,
    }),
    { signingDate: now },
  );
  const theirs = signed.headers['authorization'];
  if (ours['authorization'] !== theirs)
    throw new Error(`SigV4 signer disagrees with @smithy/signature-v4:\n ours:   ${ours['authorization']}\n smithy: ${theirs}`);
}

/** One awsJson1_1 call as an autocannon request; signed when `signer` is given (admin operations). */
export function awsJsonRequest(host: string, operation: string, input: unknown, signer?: Signer): autocannon.Request {
  const body = JSON.stringify(input);
  const headers = { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}${operation}` };
  return { method: 'POST', path: '/', headers: signer ? signHeaders(signer, host, headers, body) : { ...headers, host }, body };
}

/** One unsigned Cognito Identity call (`AWSCognitoIdentityService.*`, awsJson1_1), as apps make GetCredentialsForIdentity. */
export function identityJsonRequest(host: string, operation: string, input: unknown): autocannon.Request {
  const headers = { 'content-type': CONTENT_TYPE, 'x-amz-target': `AWSCognitoIdentityService.${operation}`, host };
  return { method: 'POST', path: '/', headers, body: JSON.stringify(input) };
}

/** A fixed form POST (the OAuth token endpoint), as an autocannon request. */
export function formRequest(url: URL, form: Record<string, string>, headers: Record<string, string> = {}): autocannon.Request {
  return {
    method: 'POST',
    path: url.pathname + url.search,
    headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  };
}

/** Sends one autocannon-shaped request with fetch (used to probe a path before loading it). */
export async function send(baseUrl: string, req: autocannon.Request): Promise<{ status: number; body: string }> {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'host'));
  const response = await fetch(new URL(req.path ?? '/', baseUrl), {
    method: req.method ?? 'GET',
    headers,
    ...(req.body !== undefined ? { body: typeof req.body === 'string' ? req.body : new Uint8Array(req.body) } : {}),
  });
  return { status: response.status, body: await response.text() };
}

/** A failed answer in one line: Cognito's `__type: message`, OAuth's `error: error_description`, or the raw text. */
export function describeFailure(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { __type?: string; message?: string; error?: string; error_description?: string };
    const type = parsed.__type ?? parsed.error;
    const message = parsed.message ?? parsed.error_description;
    if (type) return `${type.replace(/^.*#/, '')}${message ? `: ${message}` : ''}`.slice(0, 300);
  } catch {
    // not JSON: fall through to the raw text
  }
  return `HTTP ${status} ${body.slice(0, 200)}`;
}
