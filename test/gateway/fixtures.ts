import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateResourceServerCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import { createClient } from '../api/auth-fixtures.js';
import { runGateway } from '../../src/tools-cli/gateway.js';

/** Stores one API with `cognate gateway put`, as an operator would. */
export async function putApi(server: TestServer, definition: unknown): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'cognate-gateway-')), 'api.json');
  writeFileSync(file, JSON.stringify(definition));
  let printed = '';
  await runGateway(['put', file], server.services.config, (text) => (printed += text));
  assert.match(printed, /^stored the API /);
}

/**
 * A machine client of `poolId` (resource server `shop` with the scope `read`, the client_credentials
 * grant) and the access token it gets from /oauth2/token for `shop/read`.
 */
export async function machineToken(server: TestServer, poolId: string): Promise<{ clientId: string; accessToken: string }> {
  await server.admin.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: 'shop',
      Name: 'Shop',
      Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }),
  );
  const machine = await createClient(server, poolId, {
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: ['shop/read'],
  });
  const grant = await fetch(`${server.url}/${poolId}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${machine.clientId}:${machine.clientSecret!}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials&scope=shop%2Fread',
  });
  assert.equal(grant.status, 200);
  return { clientId: machine.clientId, accessToken: ((await grant.json()) as { access_token: string }).access_token };
}
