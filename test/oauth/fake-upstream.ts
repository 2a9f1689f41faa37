import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateIdentityProviderCommand, type IdentityProviderTypeType } from '@aws-sdk/client-cognito-identity-provider';
import { SignJWT, type JWTPayload } from 'jose';
import type { TestServer } from '../support/server.js';
import { CALLBACK, createClient, createOAuthPool, getManual, type OAuthPool } from './helpers.js';

/*
 * A hand-made upstream OAuth 2.0 / OIDC provider for tests that need to see exactly what Cognate
 * sends it (methods, headers, forms) and to answer anything, including what no real provider would.
 * Every request is recorded; each path answers what the test set with `on`, and any path ending in
 * `/jwks` serves the upstream's one signing key. Tests share one upstream per file and give each of
 * their providers its own path prefix: Cognate caches key sets per URL for the life of the process.
 */

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (when there is no `json`). */
  text?: string;
  location?: string;
}

export type Route = Reply | ((request: RecordedRequest) => Reply);

export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, Route>();
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeUpstream> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const upstream = new FakeUpstream(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const recorded = { method: request.method ?? '', url: new URL(request.url ?? '/', upstream.url), headers: request.headers, body };
        upstream.requests.push(recorded);
        const route = upstream.routes.get(recorded.url.pathname);
        const reply: Reply = recorded.url.pathname.endsWith('/jwks')
          ? { json: { keys: [{ ...upstream.key.publicKey.export({ format: 'jwk' }), kid: 'fake-1', alg: 'RS256', use: 'sig' }] } }
          : typeof route === 'function'
            ? route(recorded)
            : (route ?? { status: 404, text: '' });
        response.statusCode = reply.status ?? 200;
        if (reply.location !== undefined) response.setHeader('location', reply.location);
        if (reply.json !== undefined) response.setHeader('content-type', 'application/json');
        response.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ''));
      });
    });
    return upstream;
  }

  /** Answers requests to `path` with `route` from now on. */
  on(path: string, route: Route): void {
    this.routes.set(path, route);
  }

  /** The requests made to `path`, oldest first. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.url.pathname === path);
  }

  /**
   * ProviderDetails of an OIDC provider with every endpoint under `prefix` here (so none is
   * discovered), client `cognate<prefix>` with a secret; an undefined override drops the key.
   */
  oidcDetails(prefix: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
    const details: Record<string, string | undefined> = {
      client_id: `cognate${prefix.replace(/\//g, '-')}`,
      client_secret: 'upstream-client-secret',
      authorize_scopes: 'openid email',
      attributes_request_method: 'GET',
      oidc_issuer: this.url,
      authorize_url: `${this.url}${prefix}/auth`,
      token_url: `${this.url}${prefix}/token`,
      attributes_url: `${this.url}${prefix}/userinfo`,
      jwks_uri: `${this.url}${prefix}/jwks`,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  /** An ID token signed with the upstream's published key: issuer this upstream, valid for five minutes from `now` (ms). */
  async idToken(now: number, claims: JWTPayload, options: { expiresIn?: number } = {}): Promise<string> {
    const seconds = Math.floor(now / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-1' })
      .setIssuer(this.url)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + (options.expiresIn ?? 300))
      .sign(this.key.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A fresh pool with one provider and a web client that supports it. */
export interface FederationSetup {
  pool: OAuthPool;
  clientId: string;
  providerName: string;
}

export async function federationPool(
  server: TestServer,
  provider: {
    name: string;
    type: IdentityProviderTypeType;
    details: Record<string, string>;
    mapping?: Record<string, string>;
  },
): Promise<FederationSetup> {
  const pool = await createOAuthPool(server);
  await server.admin.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool.poolId,
      ProviderName: provider.name,
      ProviderType: provider.type,
      ProviderDetails: provider.details,
      AttributeMapping: provider.mapping ?? { email: 'email' },
    }),
  );
  const client = await createClient(server, pool.poolId, { SupportedIdentityProviders: ['COGNITO', provider.name] });
  return { pool, clientId: client.id, providerName: provider.name };
}

/** A sign-in sent to the upstream and not yet back. */
export interface StartedSignIn {
  /** Where Cognate sent the browser. */
  upstreamAuthorize: URL;
  /** The nonce Cognate asked the upstream to put in the ID token. */
  nonce: string;
  /** The browser comes back to /oauth2/idpresponse with `code`; returns the query of where Cognate then sends it. */
  finish(code?: string): Promise<Record<string, string>>;
}

/** The state the app sends, which comes back to its callback. */
export const CLIENT_STATE = 'app-state-1';

/** `/oauth2/authorize?identity_provider=...` as an app sends it, up to the redirect to the upstream. */
export async function startFederatedSignIn(setup: FederationSetup): Promise<StartedSignIn> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: setup.clientId,
    redirect_uri: CALLBACK,
    scope: 'openid email',
    identity_provider: setup.providerName,
    state: CLIENT_STATE,
  });
  const response = await getManual(`${setup.pool.issuer}/oauth2/authorize?${query.toString()}`);
  assert.equal(response.status, 302, response.body);
  const upstreamAuthorize = new URL(response.location);
  const state = upstreamAuthorize.searchParams.get('state')!;
  return {
    upstreamAuthorize,
    nonce: upstreamAuthorize.searchParams.get('nonce')!,
    async finish(code = 'upstream-code') {
      const back = new URLSearchParams({ code, state });
      const returned = await getManual(`${setup.pool.site.baseUrl}/oauth2/idpresponse?${back.toString()}`);
      assert.equal(returned.status, 302, returned.body);
      const callback = new URL(returned.location);
      assert.equal(callback.origin + callback.pathname, CALLBACK, returned.location);
      return Object.fromEntries(callback.searchParams);
    },
  };
}

/** What the app's callback receives when Cognate refuses the upstream's answer with `description`. */
export function refusal(description: string): Record<string, string> {
  return { error_description: description, error: 'invalid_request', state: CLIENT_STATE };
}

/** Asserts the callback got an authorization code and nothing else but the app's state. */
export function assertSignedIn(callback: Record<string, string>): void {
  assert.deepEqual(Object.keys(callback).sort(), ['code', 'state'], JSON.stringify(callback));
  assert.equal(callback['state'], CLIENT_STATE);
}
