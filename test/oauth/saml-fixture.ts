import assert from 'node:assert/strict';
import {
  CreateIdentityProviderCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt, type JWTPayload } from 'jose';
import type { FrozenClock } from '../../src/lib/clock.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { CALLBACK, postForm } from './helpers.js';

export { CALLBACK };

/** A SAML provider of the test pool: its name, ProviderDetails and AttributeMapping. */
export interface SamlProviderSpec {
  name: string;
  details: Record<string, string>;
  mapping?: Record<string, string>;
  identifiers?: string[];
}

/** A running server with one pool, its SAML providers and a web client that supports them all. */
export interface SamlPool {
  server: TestServer;
  poolId: string;
  /** The pool's site by path: `<server>/<poolId>`. */
  base: string;
  /** Cognito's SP entity ID, the audience of every assertion. */
  audience: string;
  /** The assertion consumer service, `/saml2/idpresponse`. */
  acs: string;
  clientId: string;
  /** The answers of the CreateIdentityProvider calls, for tests that inspect what the API returned. */
  created: unknown[];
}

export async function startSamlPool(
  clock: FrozenClock,
  poolName: string,
  providers: readonly SamlProviderSpec[],
  client: { scopes: string[]; logoutUrls?: string[] },
): Promise<SamlPool> {
  const server = await startTestServer({}, { clock });
  const poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: poolName }))).UserPool!.Id!;
  const base = `${server.url}/${poolId}`;
  const created: unknown[] = [];
  for (const provider of providers) {
    created.push(
      await server.admin.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: provider.name,
          ProviderType: 'SAML',
          ProviderDetails: provider.details,
          ...(provider.mapping ? { AttributeMapping: provider.mapping } : {}),
          ...(provider.identifiers ? { IdpIdentifiers: provider.identifiers } : {}),
        }),
      ),
    );
  }
  const clientId = (
    await server.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        SupportedIdentityProviders: providers.map((provider) => provider.name),
        CallbackURLs: [CALLBACK],
        ...(client.logoutUrls ? { LogoutURLs: client.logoutUrls } : {}),
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: client.scopes,
      }),
    )
  ).UserPoolClient!.ClientId!;
  return { server, poolId, base, audience: `urn:amazon:cognito:sp:${poolId}`, acs: `${base}/saml2/idpresponse`, clientId, created };
}

/** `/oauth2/authorize` of the pool's client through `provider`. */
export function authorizeUrl(pool: SamlPool, provider: string, scope: string, state?: string): string {
  const query = new URLSearchParams({
    identity_provider: provider,
    client_id: pool.clientId,
    redirect_uri: CALLBACK,
    response_type: 'code',
    scope,
  });
  if (state !== undefined) query.set('state', state);
  return `${pool.base}/oauth2/authorize?${query}`;
}

/** POSTs a form as the browser's auto-submitted SAML form does; returns the status and redirect, not followed. */
export async function postSamlForm(
  url: string,
  form: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
): Promise<{ status: number; location: string }> {
  const answer = await postForm(url, form, undefined, { contentType, redirect: 'manual' });
  return { status: answer.status, location: answer.headers.get('location') ?? '' };
}

/** Exchanges a code at the token endpoint; returns the ID token's claims. */
export async function exchangeCode(pool: SamlPool, code: string): Promise<JWTPayload> {
  const response = await fetch(`${pool.base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, client_id: pool.clientId }).toString(),
  });
  assert.equal(response.status, 200);
  return decodeJwt(((await response.json()) as { id_token: string }).id_token);
}

/** Where an unusable SAML response or RelayState is sent: the site's error page. */
export function samlErrorPage(pool: SamlPool): string {
  return `${pool.base}/error?${new URLSearchParams({ error: 'Invalid samlResponse or relayState from identity provider' })}`;
}

/** Where a bad response with a usable RelayState is sent: the client's callback, as Cognito does. */
export function samlErrorRedirect(description: string, state = 'st4te'): string {
  return `${CALLBACK}?${new URLSearchParams({ error_description: `Invalid SAML response received: ${description}`, error: 'server_error', state })}`;
}
