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
  /** Temporary credentials' token (an identity's, from GetCredentialsForIdentity): sent and signed as X-Amz-Security-Token. */
  sessionToken?: string;
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

function signingKey(signer: Signer, day: string, service: string): Buffer {
  const cacheKey = `${signer.credentials.secretAccessKey}/${day}/${signer.region}/${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = hmac(hmac(hmac(hmac(`AWS4${signer.credentials.secretAccessKey}`, day), signer.region), service), 'aws4_request');
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/** RFC 3986 encoding, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
const uriEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The canonical URI of a path as it goes on the wire: every service but S3 encodes the (already
 * encoded) segments once more, so a label's `%3A` is signed as `%253A`.
 */
function canonicalUri(path: string): string {
  return path.split('/').map(uriEncode).join('/');
}

/** The canonical query: each name and value encoded once, sorted by name, then value. */
function canonicalQuery(query: string): string {
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [name = '', value = ''] = pair.split('=');
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** A request to sign: its method, its path and query as they go on the wire, its headers and body. */
export interface Unsigned {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The headers of a SigV4-signed request for `service`: the request's own, host, x-amz-date, the
 * session token of temporary credentials, and authorization, every one of them signed.
 */
export function signRequest(signer: Signer, service: string, host: string, request: Unsigned, now = new Date()): Record<string, string> {
  const date = amzDate(now);
  const day = date.slice(0, 8);
  const token = signer.credentials.sessionToken;
  const all: Record<string, string> = {
    ...request.headers,
    host,
    'x-amz-date': date,
    ...(token !== undefined ? { 'x-amz-security-token': token } : {}),
  };
  const names = Object.keys(all)
    .map((n) => n.toLowerCase())
    .sort();
  const lower = Object.fromEntries(Object.entries(all).map(([n, v]) => [n.toLowerCase(), v.trim()]));
  const signedHeaders = names.join(';');
  const q = request.path.indexOf('?');
  const [pathname, query] = q < 0 ? [request.path, ''] : [request.path.slice(0, q), request.path.slice(q + 1)];
  const canonical = [
    request.method,
    canonicalUri(pathname),
    canonicalQuery(query),
    ...names.map((n) => `${n}:${lower[n]}`),
    '',
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const scope = `${day}/${signer.region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonical)].join('\n');
  const signature = createHmac('sha256', signingKey(signer, day, service))
    .update(stringToSign, 'utf8')
    .digest('hex');
  return {
    ...all,
    authorization: `AWS4-HMAC-SHA256 Credential=${signer.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/** Headers of a SigV4-signed awsJson1_1 POST / (the headers the AWS SDK signs: content-type, host, x-amz-date, x-amz-target). */
export function signHeaders(
  signer: Signer,
  host: string,
  headers: Record<string, string>,
  body: string,
  now = new Date(),
): Record<string, string> {
  return signRequest(signer, SERVICE, host, { method: 'POST', path: '/', headers, body }, now);
}

/**
 * Fails loudly if the hand-rolled signer disagrees with the SDK's signer on sample requests: an
 * admin awsJson1_1 POST, and a restJson1 GET with an encoded path label, a query and temporary
 * credentials (as Cognito Sync's and the gateway's paths send).
 */
export async function checkSignerAgainstSmithy(): Promise<void> {
  const now = new Date('2024-03-05T07:04:09Z');
  const host = '127.0.0.1:9229';
  const admin: Signer = { credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, region: 'us-east-1' };
  const identity: Signer = {
    credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token/with+signs=' },
    region: 'us-east-1',
  };
  const samples: { signer: Signer; service: string; request: Unsigned }[] = [
    {
      signer: admin,
      service: SERVICE,
      request: {
        method: 'POST',
        path: '/',
        headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}AdminGetUser` },
        body: '{"UserPoolId":"us-east-1_abcdefghi","Username":"bench"}',
      },
    },
    {
      signer: identity,
      service: 'cognito-sync',
      request: {
        method: 'GET',
        path: `/identitypools/us-east-1%3Aa1/identities/us-east-1%3Ab2/datasets/bench/records?${restQuery({ lastSyncCount: 3, maxResults: 10 })}`,
        headers: {},
        body: '',
      },
    },
  ];
  for (const { signer, service, request } of samples) {
    const ours = signRequest(signer, service, host, request, now);
    const smithy = new SignatureV4({
      service,
      region: signer.region,
      credentials: signer.credentials,
      sha256: Sha256,
      applyChecksum: false,
    });
    const [path = '/', query = ''] = request.path.split('?');
    const signed = await smithy.sign(
      new HttpRequest({
        method: request.method,
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 9229,
        path,
        query: Object.fromEntries(new URLSearchParams(query)),
        headers: { ...request.headers, host },
        body: request.body,
      }),
      { signingDate: now },
    );
    const theirs = signed.headers['authorization'];
    if (ours['authorization'] !== theirs)
      throw new Error(
        `SigV4 signer disagrees with @smithy/signature-v4 (${service} ${request.method}):\n ours:   ${ours['authorization']}\n smithy: ${theirs}`,
      );
  }
}

/** A query string as the AWS SDK writes one: names and values RFC 3986-encoded. */
export function restQuery(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${uriEncode(name)}=${uriEncode(String(value))}`)
    .join('&');
}

/**
 * One restJson1 call (or any plain HTTP request) as an autocannon request: `path` as it goes on the
 * wire (labels and query encoded), a JSON body when `body` is given, SigV4-signed for `service`
 * when a signer is given (with temporary credentials, their session token signed too).
 */
export function restRequest(
  host: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; sign?: { signer: Signer; service: string } } = {},
): autocannon.Request {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers = { ...options.headers, ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) };
  const sign = options.sign;
  return {
    method,
    path,
    headers: sign ? signRequest(sign.signer, sign.service, host, { method, path, headers, body }) : { ...headers, host },
    ...(options.body === undefined ? {} : { body }),
  };
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
