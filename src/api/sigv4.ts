import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import {
  IncompleteSignatureException,
  InvalidSignatureException,
  MissingAuthenticationTokenException,
  UnrecognizedClientException,
} from '../errors/cognito-error.js';

/**
 * The parts of an HTTP request that SigV4 covers, independent of any web framework.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export interface IncomingSignedRequest {
  method: string;
  /** Raw request-target path as received on the wire, including any query string (e.g. `/` or `/?a=b`). */
  path: string;
  /** Node's IncomingHttpHeaders (lowercase keys). */
  headers: Record<string, string | string[] | undefined>;
  /** Exact raw body bytes; the payload hash must be computed over these, not a re-serialisation. */
  body: Buffer;
}

/**
 * Who signed a request, taken from the verified credential scope.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export interface SigV4Identity {
  accessKeyId: string;
  region: string;
  service: string;
}

/**
 * Inputs to {@link verifySigV4} that come from the server rather than the request.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export interface VerifySigV4Options {
  /** Returns the secret for an access key id, or undefined when unknown. */
  secretFor(accessKeyId: string): string | undefined;
  /** Expected signing service name, e.g. 'cognito-idp'. */
  service: string;
  /**
   * The region this server serves: the credential scope must name it, as a regional AWS endpoint
   * requires. A global service (IAM) takes its own region besides.
   */
  region: string | readonly string[];
  /** Current time, epoch ms (injected clock). */
  now: number;
  /** Allowed clock skew, default 5 minutes (AWS's). */
  maxSkewMs?: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/**
 * True when the request carries any SigV4 material (an `AWS4-HMAC-SHA256` Authorization header or an
 * `X-Amz-Signature` query parameter), so callers can tell "unsigned" from "badly signed".
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function hasSignature(req: IncomingSignedRequest): boolean {
  const authorization = headerValue(lowercaseHeaders(req.headers), 'authorization');
  if (authorization !== undefined && authorization.trimStart().startsWith(ALGORITHM)) return true;
  return parseQuery(splitTarget(req.path).query).some(([name]) => name.toLowerCase() === 'x-amz-signature');
}

/**
 * The access key id a request's Authorization header names, before anything is verified, so the
 * caller can look up its secret (a temporary key's is in the database); undefined when there is none.
 */
export function signedAccessKeyId(req: IncomingSignedRequest): string | undefined {
  const authorization = headerValue(lowercaseHeaders(req.headers), 'authorization');
  return /Credential=([^/,\s]+)\//.exec(authorization ?? '')?.[1];
}

/**
 * Verifies the Authorization-header form of SigV4 and returns the signer's identity.
 * Presigned (query-string) requests are not accepted here.
 *
 * @throws MissingAuthenticationTokenException when there is no Authorization header.
 * @throws IncompleteSignatureException when the header or required signed headers are malformed/missing.
 * @throws UnrecognizedClientException when the access key id is unknown.
 * @throws InvalidSignatureException on a wrong scope (region, service, terminator or date), clock skew,
 *   payload-hash mismatch or signature mismatch.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export function verifySigV4(req: IncomingSignedRequest, options: VerifySigV4Options): SigV4Identity {
  const headers = lowercaseHeaders(req.headers);
  const authorization = headerValue(headers, 'authorization');
  if (authorization === undefined) throw new MissingAuthenticationTokenException();

  const auth = parseAuthorization(authorization);

  // AWS prefers X-Amz-Date because intermediaries may rewrite Date; Date is only the legacy fallback.
  const amzDate = headerValue(headers, 'x-amz-date');
  const dateHeaderName = amzDate !== undefined ? 'x-amz-date' : 'date';
  const rawDate = amzDate ?? headerValue(headers, 'date');
  const missing = [...auth.missing];
  if (rawDate === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  // Each of these is undefined exactly when `missing` has its sentence, so this is `missing.length > 0`.
  if (auth.credential === undefined || auth.signedHeaders === undefined || auth.signature === undefined || rawDate === undefined) {
    throw new IncompleteSignatureException(missing.join(' '));
  }

  const scope = parseCredential(auth.credential);
  const signedHeaders = parseSignedHeaders(auth.signedHeaders);
  // Unsigned host or date would let a signature be replayed against another endpoint or at another time.
  if (!signedHeaders.includes('host')) {
    throw new IncompleteSignatureException("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!signedHeaders.includes(dateHeaderName)) {
    throw new IncompleteSignatureException(
      `'${dateHeaderName === 'date' ? 'Date' : 'X-Amz-Date'}' must be a 'SignedHeader' in the AWS Authorization.`,
    );
  }

  const requestTime = parseRequestDate(rawDate, dateHeaderName);
  const longDate = formatAmzDate(requestTime);
  checkScope(scope, options, longDate);

  checkSkew(requestTime, options.now, options.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);

  const secret = options.secretFor(scope.accessKeyId);
  if (secret === undefined) throw new UnrecognizedClientException();

  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const declaredHash = headerValue(headers, 'x-amz-content-sha256');
  // The JS SDK sends this header on every request and signs the declared hash rather than the body, so a
  // body swapped in transit would still verify unless the declared hash is held to the real bytes.
  // UNSIGNED-PAYLOAD is refused for the same reason. To the client this is just a signature mismatch.
  if (declaredHash !== undefined && declaredHash.toLowerCase() !== bodyHash) {
    throw new InvalidSignatureException(SIGNATURE_MISMATCH);
  }
  const payloadHash = declaredHash ?? bodyHash;

  const { pathname, query } = splitTarget(req.path);
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(pathname),
    canonicalQuery(query),
    signedHeaders.map((name) => `${name}:${canonicalHeaderValue(headers.get(name))}\n`).join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/${TERMINATOR}`;
  const stringToSign = [ALGORITHM, longDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');

  const signingKey = [scope.date, scope.region, scope.service, TERMINATOR].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${secret}`, 'utf8'),
  );
  const expected = hmac(signingKey, stringToSign).toString('hex');
  if (!constantTimeEqual(expected, auth.signature)) throw new InvalidSignatureException(SIGNATURE_MISMATCH);

  return {
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    service: scope.service,
  };
}

/**
 * The credential scope must name this server's region and service, the `aws4_request` terminator and
 * the request's own date. AWS lists every wrong part in one InvalidSignatureException, in this order,
 * each sentence ending in ". " but the last (a captured Coral answer with all four wrong, from
 * dynalite's notes; the region sentence alone, with its trailing space, from a captured raw body).
 */
function checkScope(scope: CredentialScope, options: VerifySigV4Options, longDate: string): void {
  const shortDate = longDate.slice(0, 8);
  const problems: string[] = [];
  if (![options.region].flat().includes(scope.region))
    problems.push(`Credential should be scoped to a valid region, not '${safeName(scope.region)}'. `);
  if (scope.service !== options.service) problems.push(`Credential should be scoped to correct service: '${options.service}'. `);
  if (scope.terminator !== TERMINATOR) {
    problems.push(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${safeName(scope.terminator)}'. `);
  }
  if (scope.date !== shortDate) {
    problems.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${shortDate}', from '${longDate}'.`,
    );
  }
  if (problems.length > 0) throw new InvalidSignatureException(problems.join(''));
}

interface ParsedAuthorization {
  credential: string | undefined;
  signedHeaders: string | undefined;
  signature: string | undefined;
  missing: string[];
}

function parseAuthorization(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space === -1 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) {
    // Never echo the header back: it may carry a credential for another scheme (e.g. a bearer token).
    throw new IncompleteSignatureException(`Authorization header must use the '${ALGORITHM}' algorithm.`);
  }
  const params = new Map<string, string>();
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  for (const part of rest.split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) throw new IncompleteSignatureException('Invalid key=value pair (missing equal-sign) in Authorization header.');
    const key = pair.slice(0, eq).trim();
    if (params.has(key)) throw new IncompleteSignatureException(`Authorization header contains a duplicate '${safeName(key)}' parameter.`);
    params.set(key, pair.slice(eq + 1).trim());
  }
  const missing: string[] = [];
  const take = (key: string): string | undefined => {
    const v = params.get(key);
    if (v === undefined || v === '') {
      missing.push(`Authorization header requires '${key}' parameter.`);
      return undefined;
    }
    return v;
  };
  return {
    credential: take('Credential'),
    signedHeaders: take('SignedHeaders'),
    signature: take('Signature'),
    missing,
  };
}

interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

function parseCredential(credential: string): CredentialScope {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw new IncompleteSignatureException('Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.');
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (accessKeyId === '')
    throw new IncompleteSignatureException("Authorization header requires a non-empty access key id in 'Credential'.");
  if (!/^\d{8}$/.test(date)) throw new IncompleteSignatureException('Credential should be scoped to a valid date (YYYYMMDD).');
  return { accessKeyId, date, region, service, terminator };
}

function parseSignedHeaders(value: string): string[] {
  const names = value.split(';');
  // Header names are case-insensitive on the wire but SigV4 signs them lowercased; an empty entry can
  // only come from a malformed list.
  if (names.some((n) => n === '' || n !== n.toLowerCase() || /\s/.test(n))) {
    throw new IncompleteSignatureException("'SignedHeaders' must be a ';'-separated list of lowercase header names.");
  }
  return names;
}

function parseRequestDate(raw: string, headerName: string): number {
  const trimmed = raw.trim();
  const m = AMZ_DATE.exec(trimmed);
  if (m !== null) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    // Date.UTC silently rolls over out-of-range fields (month 13, second 61); reject instead of guessing.
    if (formatAmzDate(ms) === trimmed) return ms;
  } else if (headerName === 'date') {
    // The legacy Date header is normally an RFC 7231 HTTP-date rather than ISO 8601 basic format.
    const ms = Date.parse(trimmed);
    if (Number.isFinite(ms)) return ms;
  }
  throw new IncompleteSignatureException(
    `Date must be in ISO-8601 'basic format' (YYYYMMDD'T'HHMMSS'Z') in the '${headerName === 'date' ? 'Date' : 'X-Amz-Date'}' header.`,
  );
}

function checkSkew(requestTime: number, now: number, maxSkewMs: number): void {
  const minutes = `${maxSkewMs / 60_000} min.`;
  if (requestTime < now - maxSkewMs) {
    throw new InvalidSignatureException(
      `Signature expired: ${formatAmzDate(requestTime)} is now earlier than ${formatAmzDate(now - maxSkewMs)} (${formatAmzDate(now)} - ${minutes})`,
    );
  }
  if (requestTime > now + maxSkewMs) {
    throw new InvalidSignatureException(
      `Signature not yet current: ${formatAmzDate(requestTime)} is still later than ${formatAmzDate(now + maxSkewMs)} (${formatAmzDate(now)} + ${minutes})`,
    );
  }
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function lowercaseHeaders(headers: IncomingSignedRequest['headers']): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out.set(name.toLowerCase(), value);
  }
  return out;
}

/** Node only produces arrays for a few headers; joining mirrors how SigV4 canonicalises repeated values. */
function headerValue(headers: Map<string, string | string[]>, name: string): string | undefined {
  const value = headers.get(name);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return value.length === 0 ? undefined : value.join(',');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  if (value === undefined) return '';
  const values = typeof value === 'string' ? [value] : value;
  return values
    .map((v) =>
      v
        .replace(/[\r\n]/g, ' ')
        .replace(/[ \t]+/g, ' ')
        .trim(),
    )
    .join(',');
}

function splitTarget(target: string): { pathname: string; query: string } {
  const q = target.indexOf('?');
  const withoutFragment = (s: string): string => {
    const h = s.indexOf('#');
    return h === -1 ? s : s.slice(0, h);
  };
  if (q === -1) return { pathname: withoutFragment(target), query: '' };
  return {
    pathname: target.slice(0, q),
    query: withoutFragment(target.slice(q + 1)),
  };
}

/**
 * Non-S3 services normalise the path and then URI-encode it once more, because the SDK signs the
 * already-encoded path it puts on the wire; '%20' therefore appears as '%2520' in the canonical URI.
 */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `/${segments.join('/')}${segments.length > 0 && rawPath.endsWith('/') ? '/' : ''}`;
  return uriEncode(normalized).replace(/%2F/g, '/');
}

function canonicalQuery(rawQuery: string): string {
  return parseQuery(rawQuery)
    .map(([name, value]): [string, string] => [uriEncode(name), uriEncode(value)])
    .sort(([ak, av], [bk, bv]) => compareCodeUnits(ak, bk) || compareCodeUnits(av, bv))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/** Orders by UTF-16 code units, as the SDK's plain `sort()` of encoded names and `name=value` strings does. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Decoded name/value pairs in wire order; '+' stays literal because SigV4 clients percent-encode spaces. */
function parseQuery(rawQuery: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    pairs.push([percentDecode(name), percentDecode(value)]);
  }
  return pairs;
}

function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    // Malformed escapes cannot have come from a conforming signer; keep them raw so the signature just fails.
    return s;
  }
}

/** RFC 3986 encoding: encodeURIComponent leaves !'()* unescaped, which SigV4 requires escaped. */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function constantTimeEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  // timingSafeEqual throws on unequal lengths; a length difference leaks nothing about the secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Limits what a client-controlled token can inject into an error message. */
function safeName(s: string): string {
  return s.replace(/[^\w.-]/g, '').slice(0, 64);
}
