import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';
import type { HostedSite } from '../../src/oauth/site.js';
import { loginSessionCookie } from '../../src/oauth/login-session.js';
import { usernameKey } from '../../src/auth/resolve-user.js';

export const CALLBACK = 'https://app.example.com/callback';
export const LOGOUT = 'https://app.example.com/signed-out';
export const PASSWORD = 'Correct-Horse-9';

export interface OAuthPool {
  poolId: string;
  site: HostedSite;
  issuer: string;
}

/** A confirmed user with the permanent `password` and these attributes, created without a message. */
export async function createConfirmedUser(
  server: TestServer,
  poolId: string,
  username: string,
  password: string,
  attributes: Record<string, string>,
): Promise<void> {
  await server.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await server.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

/** A pool with a user `alice` (confirmed, verified email, a name) and nothing else. */
export async function createOAuthPool(server: TestServer): Promise<OAuthPool> {
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'oauth' }))).UserPool!.Id!;
  await createConfirmedUser(server, poolId, 'alice', PASSWORD, {
    email: 'alice@example.com',
    email_verified: 'true',
    name: 'Alice Liddell',
    phone_number: '+15555550100',
  });
  const pool = (await server.services.store.pools.get(poolId))!;
  const site: HostedSite = { pool, baseUrl: `${server.url}/${poolId}`, via: 'path', cookiePath: `/${poolId}`, secure: false };
  return { poolId, site, issuer: `${server.url}/${poolId}` };
}

/**
 * A test server on a FrozenClock near the real time (SigV4 checks request dates against the
 * server's clock, and tests move it for expiry), with createOAuthPool's pool.
 */
export async function startOAuthServer(): Promise<{ server: TestServer; clock: FrozenClock; pool: OAuthPool }> {
  const clock = FrozenClock.atNow();
  const server = await startTestServer({}, { clock });
  return { server, clock, pool: await createOAuthPool(server) };
}

export const WEB_CLIENT: Partial<CreateUserPoolClientCommandInput> = {
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthFlows: ['code', 'implicit'],
  AllowedOAuthScopes: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
  CallbackURLs: [CALLBACK, 'myapp://callback'],
  LogoutURLs: [LOGOUT],
  SupportedIdentityProviders: ['COGNITO'],
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
};

/** An app client with exactly these settings: its id, and its secret when it has one. */
export async function createAppClient(
  server: TestServer,
  poolId: string,
  settings: Omit<CreateUserPoolClientCommandInput, 'UserPoolId'>,
): Promise<{ id: string; secret: string | undefined }> {
  const created = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ...settings }));
  return { id: created.UserPoolClient!.ClientId!, secret: created.UserPoolClient!.ClientSecret };
}

/** A web app client (WEB_CLIENT, then `settings`); its secret is '' when it has none. */
export async function createClient(
  server: TestServer,
  poolId: string,
  settings: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ id: string; secret: string }> {
  const { id, secret } = await createAppClient(server, poolId, { ClientName: 'web', ...WEB_CLIENT, ...settings });
  return { id, secret: secret ?? '' };
}

/** A `Cookie` header with a managed-login session for `username`, as the sign-in pages would set it. */
export function sessionCookie(server: TestServer, pool: OAuthPool, username: string, authTime = server.services.clock.now()): string {
  const setCookie = loginSessionCookie(server.services, pool.site, {
    id: randomUUID(),
    poolId: pool.poolId,
    usernameKey: usernameKey(pool.site.pool, username),
    authTime,
  });
  return setCookie.split(';')[0]!;
}

/** GET without following redirects; the `Location` and `Set-Cookie` of the answer. */
export async function getManual(
  url: string,
  cookie?: string,
): Promise<{ status: number; location: string; setCookie: string | null; body: string; headers: Headers }> {
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    setCookie: response.headers.get('set-cookie'),
    body: await response.text(),
    headers: response.headers,
  };
}

export function basic(id: string, secret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return {};
  }
}

export async function postForm(
  url: string,
  form: Record<string, string>,
  authorization?: string,
  options: { contentType?: string; redirect?: RequestRedirect; cookie?: string } = {},
): Promise<{ status: number; headers: Headers; text: string; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: options.redirect ?? 'follow',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: parseJson(text) };
}

export function decodePayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * A GET over plain HTTP with exactly these headers, `Host` and `X-Forwarded-*` included (fetch
 * will not send a Host of our choosing); redirects are not followed.
 */
export function getWithHeaders(
  server: TestServer,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
