/**
 * `cognate apply`'s domains, identity providers and identity pools (with their roles), applied in
 * process against one server and checked through the AWS SDKs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  DescribeIdentityProviderCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  DescribeIdentityPoolCommand,
  GetIdentityPoolRolesCommand,
  ListIdentityPoolsCommand,
} from '@aws-sdk/client-cognito-identity';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyDocument } from '../../src/apply/apply.js';
import { PlanError, type Plan } from '../../src/apply/plan.js';

const PREFIX = `apply-res-${Date.now().toString(36)}`;
const AUTH_ROLE = 'arn:aws:iam::123456789012:role/app-authenticated';
const GUEST_ROLE = 'arn:aws:iam::123456789012:role/app-guest';

/** The document of these tests; `change` edits its text. */
function setup(change: (text: string) => string = (text) => text): string {
  return change(`UserPools:
  - PoolName: resources
    Clients:
      - ClientName: web
        SupportedIdentityProviders: [COGNITO, Corp]
    IdentityProviders:
      - ProviderName: Corp
        ProviderType: OIDC
        ProviderDetails:
          client_id: corp-client
          client_secret: corp-secret
          attributes_request_method: GET
          oidc_issuer: https://idp.example.com
          authorize_scopes: openid email
          authorize_url: https://idp.example.com/authorize
          token_url: https://idp.example.com/token
          attributes_url: https://idp.example.com/userinfo
          jwks_uri: https://idp.example.com/jwks
        AttributeMapping: {email: email}
    Domains:
      - Domain: ${PREFIX}
        ManagedLoginVersion: 1
IdentityPools:
  - IdentityPoolName: resources_identities
    AllowUnauthenticatedIdentities: false
    CognitoIdentityProviders:
      - {UserPool: resources, Client: web}
    Roles: {authenticated: ${AUTH_ROLE}}
`);
}

let server: TestServer;
let identity: CognitoIdentityClient;

before(async () => {
  server = await startTestServer();
  identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
});
after(async () => {
  identity?.destroy();
  await server?.stop();
});

async function apply(text: string, options: { dryRun?: boolean; prune?: boolean } = {}): Promise<{ plan: Plan; printed: string[] }> {
  const printed: string[] = [];
  const plan = await applyDocument(server.services, text, 'setup.yaml', {
    dryRun: options.dryRun ?? false,
    prune: options.prune ?? false,
    print: (line) => printed.push(line),
  });
  return { plan, printed };
}

/** `kind name` → action, for every step. */
function actions(plan: Plan): Record<string, string> {
  return Object.fromEntries(plan.steps.map((s) => [`${s.kind} ${s.name}`, s.action]));
}

function output(printed: readonly string[], name: string, member: string): string {
  const line = printed.find((l) => l.startsWith(`  ${name} ${member} `));
  assert.ok(line, `no output ${name} ${member} in:\n${printed.join('\n')}`);
  return line.split(' ').at(-1)!;
}

let poolId: string;
let clientId: string;
let identityPoolId: string;

test('apply creates the domain, the identity provider and the identity pool with its roles, naming the pool and client it resolves', async () => {
  const { plan, printed } = await apply(setup());
  assert.deepEqual(actions(plan), {
    'UserPool resources': 'create',
    'IdentityProvider resources/Corp': 'create',
    [`Domain resources/${PREFIX}`]: 'create',
    'UserPoolClient resources/web': 'create',
    'IdentityPool resources_identities': 'create',
  });
  poolId = output(printed, 'resources', 'UserPoolId');
  clientId = output(printed, 'resources/web', 'ClientId');
  identityPoolId = output(printed, 'resources_identities', 'IdentityPoolId');

  const domain = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: PREFIX }));
  assert.equal(domain.DomainDescription?.UserPoolId, poolId);
  assert.equal(domain.DomainDescription?.ManagedLoginVersion, 1);
  const provider = await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
  assert.equal(provider.IdentityProvider?.ProviderDetails?.['client_secret'], 'corp-secret');
  assert.deepEqual(provider.IdentityProvider?.AttributeMapping, { email: 'email', username: 'sub' });

  const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId }));
  assert.equal(described.IdentityPoolName, 'resources_identities');
  assert.deepEqual(described.CognitoIdentityProviders, [
    { ProviderName: `cognito-idp.us-east-1.amazonaws.com/${poolId}`, ClientId: clientId, ServerSideTokenCheck: false },
  ]);
  const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
  assert.deepEqual(roles.Roles, { authenticated: AUTH_ROLE });
});

test('applying the same file again changes nothing', async () => {
  const { plan } = await apply(setup());
  assert.ok(
    plan.steps.every((s) => s.action === 'unchanged'),
    plan.steps.map((s) => `${s.action} ${s.kind} ${s.name}`).join('\n'),
  );
});

test('a change is planned by --dry-run without applying, then updated in place', async () => {
  const changed = setup((text) =>
    text
      .replace('AttributeMapping: {email: email}', 'AttributeMapping: {email: email, name: name}')
      .replace('ManagedLoginVersion: 1', 'ManagedLoginVersion: 2')
      .replace('AllowUnauthenticatedIdentities: false', 'AllowUnauthenticatedIdentities: true')
      .replace(`Roles: {authenticated: ${AUTH_ROLE}}`, `Roles: {authenticated: ${AUTH_ROLE}, unauthenticated: ${GUEST_ROLE}}`),
  );
  const dry = await apply(changed, { dryRun: true });
  const updates = dry.plan.steps.filter((s) => s.action === 'update').map((s) => `${s.kind} ${(s.changed ?? []).join(',')}`);
  assert.deepEqual(updates.sort(), [
    'Domain ManagedLoginVersion',
    'IdentityPool AllowUnauthenticatedIdentities,Roles',
    'IdentityProvider AttributeMapping',
  ]);
  assert.equal((await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: PREFIX }))).DomainDescription?.ManagedLoginVersion, 1);

  await apply(changed);
  assert.equal((await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: PREFIX }))).DomainDescription?.ManagedLoginVersion, 2);
  const provider = await server.admin.send(new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: 'Corp' }));
  assert.deepEqual(provider.IdentityProvider?.AttributeMapping, { email: 'email', name: 'name', username: 'sub' });
  const described = await identity.send(new DescribeIdentityPoolCommand({ IdentityPoolId: identityPoolId }));
  assert.equal(described.AllowUnauthenticatedIdentities, true);
  assert.equal(described.CognitoIdentityProviders?.[0]?.ClientId, clientId, 'the update keeps the resolved client');
  const roles = await identity.send(new GetIdentityPoolRolesCommand({ IdentityPoolId: identityPoolId }));
  assert.deepEqual(roles.Roles, { authenticated: AUTH_ROLE, unauthenticated: GUEST_ROLE });
  assert.ok((await apply(changed)).plan.steps.every((s) => s.action === 'unchanged'));
});

test("a provider's type, fixed at creation, or a domain of another pool is a problem, and nothing is applied", async () => {
  const other = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const count = other.UserPools?.length;
  const text = setup((t) => t.replace('ProviderType: OIDC', 'ProviderType: SAML').replace('PoolName: resources', 'PoolName: resources'));
  await assert.rejects(apply(text), (error: Error) => {
    assert.ok(error instanceof PlanError);
    assert.deepEqual(error.problems, [
      'UserPools[0].IdentityProviders[0].ProviderType: ProviderType cannot be changed once the IdentityProvider is created',
    ]);
    return true;
  });
  const stolen = `UserPools:
  - PoolName: thief
    Domains: [{Domain: ${PREFIX}}]
`;
  await assert.rejects(apply(stolen), (error: Error) => {
    assert.ok(error instanceof PlanError);
    assert.deepEqual(error.problems, [`UserPools[0].Domains[0].Domain: domain ${PREFIX} belongs to another user pool (${poolId})`]);
    return true;
  });
  assert.equal((await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length, count, 'no pool was created');
});

test('--prune deletes undeclared domains, providers and identity pools; a file without IdentityPools leaves them alone', async () => {
  const outside = await identity.send(
    new CreateIdentityPoolCommand({ IdentityPoolName: 'made_by_hand', AllowUnauthenticatedIdentities: true }),
  );
  const withoutIdentityPools = setup((text) => text.slice(0, text.indexOf('IdentityPools:')));
  const kept = await apply(withoutIdentityPools, { prune: true });
  assert.ok(!kept.plan.steps.some((s) => s.kind === 'IdentityPool'), 'no identity pool step without IdentityPools');

  const pruned = setup((text) =>
    text
      .slice(0, text.indexOf('    IdentityProviders:'))
      .replace('SupportedIdentityProviders: [COGNITO, Corp]', 'SupportedIdentityProviders: [COGNITO]')
      .concat('IdentityPools: []\n'),
  );
  const { plan } = await apply(pruned, { prune: true });
  assert.equal(actions(plan)['IdentityProvider resources/Corp'], 'delete');
  assert.equal(actions(plan)[`Domain resources/${PREFIX}`], 'delete');
  assert.equal(actions(plan)[`IdentityPool resources_identities (${identityPoolId})`], 'delete');
  assert.equal(actions(plan)[`IdentityPool made_by_hand (${outside.IdentityPoolId!})`], 'delete');
  assert.deepEqual((await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: PREFIX }))).DomainDescription, {});
  const pool = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(pool.UserPool?.Domain, undefined);
  assert.deepEqual((await identity.send(new ListIdentityPoolsCommand({ MaxResults: 60 }))).IdentityPools, []);
});
