import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { AwsClient } from 'aws4fetch';
import {
  CreateIdentityPoolCommand,
  SetIdentityPoolRolesCommand,
  SetPrincipalTagAttributeMapCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateRoleCommand, DeleteRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { startTestServer, type TestServer } from '../support/server.js';
import { notForwarded, upstreamForTests } from '../support/upstream.js';
import { createClient, createPool, putUser } from '../api/auth-fixtures.js';
import { identityClients, signInUser, type IdentityClients } from '../api/identity-fixtures.js';
import { FrozenClock } from '../../src/lib/clock.js';
import { cognitoTrustPolicy } from '../../src/domain/iam-policy.js';
import { runGateway } from '../../src/tools-cli/gateway.js';
import { createAuthorizer } from '../../src/authorizer.js';

/*
 * AWS_IAM routes with identity pool credentials from the SDK's `fromCognitoIdentityPool`, signed
 * by aws4fetch for `execute-api`; the role's policies decide. Then the same decision through
 * `POST /_cognate/authorize` and the `cognate/authorizer` library, for a service of its own.
 */

const upstream = upstreamForTests();
const clock = FrozenClock.atNow();
let server: TestServer;
let clients: IdentityClients;
let iam: IAMClient;
before(async () => {
  await upstream.ready;
  server = await startTestServer({}, { clock });
  clients = identityClients(server);
  iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
});
after(async () => {
  iam.destroy();
  await server.stop();
});

const ARN = 'arn:aws:execute-api:us-east-1:000000000000:shop/prod';
const GUEST_ROLE = 'arn:aws:iam::000000000000:role/gw-guest';

interface Setup {
  identityPoolId: string;
  clientId: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string; identityId: string };
  guest: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** New credentials of the signed-in identity, for a test that revokes them. */
  fresh(): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
}

let setup: Promise<Setup> | undefined;

/** Once per file: a user pool and user, an identity pool with a signed-in role (GET items, POST items) and a guest role without policies, and the API. */
function world(): Promise<Setup> {
  setup ??= (async () => {
    const userPoolId = await createPool(server);
    const { clientId } = await createClient(server, userPoolId);
    await putUser(server, userPoolId, { username: 'bob' });
    const provider = `cognito-idp.us-east-1.amazonaws.com/${userPoolId}`;
    const { IdentityPoolId } = await clients.identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'gateway',
        AllowUnauthenticatedIdentities: true,
        CognitoIdentityProviders: [{ ProviderName: provider, ClientId: clientId }],
      }),
    );
    const { Role } = await iam.send(
      new CreateRoleCommand({ RoleName: 'gw-signed-in', AssumeRolePolicyDocument: cognitoTrustPolicy(IdentityPoolId!, 'authenticated') }),
    );
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'execute-api:Invoke', Resource: [`${ARN}/GET/items/*`, `${ARN}/POST/items`] },
        { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/GET/items/secret` },
        // Attributes for access control: the session's `client` tag (the app client, by Cognito's default map).
        {
          Effect: 'Deny',
          Action: 'execute-api:Invoke',
          Resource: `${ARN}/GET/items/hidden`,
          Condition: { StringEquals: { 'aws:PrincipalTag/client': clientId } },
        },
      ],
    };
    await iam.send(new PutRolePolicyCommand({ RoleName: 'gw-signed-in', PolicyName: 'invoke', PolicyDocument: JSON.stringify(policy) }));
    await clients.identity.send(
      new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: Role!.Arn!, unauthenticated: GUEST_ROLE } }),
    );
    await clients.identity.send(
      new SetPrincipalTagAttributeMapCommand({ IdentityPoolId, IdentityProviderName: provider, UseDefaults: true }),
    );
    const idToken = (await signInUser(server, userPoolId, clientId, 'bob')).id;
    const clientConfig = { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 };
    const signedIn = await fromCognitoIdentityPool({ identityPoolId: IdentityPoolId!, logins: { [provider]: idToken }, clientConfig })();
    const guest = await fromCognitoIdentityPool({ identityPoolId: IdentityPoolId!, clientConfig })();
    const file = join(mkdtempSync(join(tmpdir(), 'cognate-gateway-')), 'api.json');
    const iamRoute = (method: string, path: string) => ({ method, path, authorizer: { type: 'AWS_IAM' } });
    const routes = [iamRoute('GET', '/items/{id}'), iamRoute('POST', '/items'), iamRoute('DELETE', '/items/{id}')];
    writeFileSync(file, JSON.stringify({ id: 'shop', upstream: upstream.url, stages: ['prod'], routes }));
    await runGateway(['put', file], server.services.config, () => undefined);
    return {
      identityPoolId: IdentityPoolId!,
      clientId,
      credentials: {
        accessKeyId: signedIn.accessKeyId,
        secretAccessKey: signedIn.secretAccessKey,
        sessionToken: signedIn.sessionToken!,
        identityId: signedIn.identityId,
      },
      guest: { accessKeyId: guest.accessKeyId, secretAccessKey: guest.secretAccessKey, sessionToken: guest.sessionToken! },
      fresh: async () => {
        const more = await fromCognitoIdentityPool({ identityPoolId: IdentityPoolId!, logins: { [provider]: idToken }, clientConfig })();
        return { accessKeyId: more.accessKeyId, secretAccessKey: more.secretAccessKey, sessionToken: more.sessionToken! };
      },
    };
  })();
  return setup;
}

function signer(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): AwsClient {
  return new AwsClient({ ...credentials, service: 'execute-api', region: 'us-east-1', retries: 0 });
}

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const refused = <T>(fn: () => Promise<T>): Promise<T> => notForwarded(upstream, fn);

test('identity pool credentials signed with aws4fetch reach an allowed route, with the caller passed to the upstream', async () => {
  const { credentials, identityPoolId, clientId } = await world();
  const answer = await json(await signer(credentials).fetch(`${server.url}/_api/shop/prod/items/7?view=full`));
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { method: 'GET', url: '/items/7?view=full', bytes: 0 });
  const identity = JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-identity'] as string) as Record<string, unknown>;
  assert.equal(identity['cognitoIdentityId'], credentials.identityId);
  assert.equal(identity['cognitoIdentityPoolId'], identityPoolId);
  assert.equal(identity['cognitoAuthenticationType'], 'authenticated');
  assert.equal(identity['userArn'], 'arn:aws:sts::000000000000:assumed-role/gw-signed-in/CognitoIdentityCredentials');
  assert.equal(identity['roleArn'], 'arn:aws:iam::000000000000:role/gw-signed-in');
  assert.equal(identity['accessKey'], credentials.accessKeyId);
  // Cognito's default principal tag map: the app client and the user's sub.
  const tags = identity['principalTags'] as Record<string, string>;
  assert.equal(tags['client'], clientId);
  assert.match(tags['username'] ?? '', /^[0-9a-f-]{36}$/);
});

test('a signed POST body reaches the upstream byte for byte', async () => {
  const { credentials } = await world();
  const body = JSON.stringify({ name: 'widget', note: 'ünïcödé ✓', list: [1, 2, 3] });
  const answer = await json(
    await signer(credentials).fetch(`${server.url}/_api/shop/prod/items`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    }),
  );
  assert.equal(answer.status, 200);
  const received = upstream.requests.at(-1)!;
  assert.equal(received.body.toString('utf8'), body);
  assert.equal(received.headers['content-type'], 'application/json');
});

test("what the role's policies do not allow is IAM's refusal, an explicit Deny too", async () => {
  const { credentials } = await world();
  for (const [method, path] of [
    ['DELETE', 'items/7'],
    ['GET', 'items/secret'],
    ['GET', 'items/hidden'],
  ] as const) {
    const answer = await refused(async () => json(await signer(credentials).fetch(`${server.url}/_api/shop/prod/${path}`, { method })));
    assert.equal(answer.status, 403);
    assert.deepEqual(answer.body, {
      Message: `User: arn:aws:sts::000000000000:assumed-role/gw-signed-in/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke on resource: ${ARN}/${method}/${path}`,
    });
  }
});

test("a change to the role's policies holds from the next request, though the server reuses unchanged reads", async () => {
  const { credentials } = await world();
  const url = `${server.url}/_api/shop/prod/items/8`;
  assert.equal((await signer(credentials).fetch(url)).status, 200, 'allowed, and the role and its policies now read');
  const deny = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'execute-api:Invoke', Resource: `${ARN}/GET/items/8` }] };
  await iam.send(new PutRolePolicyCommand({ RoleName: 'gw-signed-in', PolicyName: 'deny-8', PolicyDocument: JSON.stringify(deny) }));
  try {
    const denied = await refused(async () => json(await signer(credentials).fetch(url)));
    assert.equal(denied.status, 403);
  } finally {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'gw-signed-in', PolicyName: 'deny-8' }));
  }
  assert.equal((await signer(credentials).fetch(url)).status, 200, 'allowed again once the Deny is deleted');
});

test('guest credentials act as the guest role, which allows nothing', async () => {
  const { guest } = await world();
  const answer = await refused(async () => json(await signer(guest).fetch(`${server.url}/_api/shop/prod/items/7`)));
  assert.equal(answer.status, 403);
  assert.match(
    String(answer.body['Message']),
    /^User: arn:aws:sts::000000000000:assumed-role\/gw-guest\/CognitoIdentityCredentials is not authorized/,
  );
});

test('unsigned, wrongly signed, forged-token, expired and revoked requests are refused before the upstream', async () => {
  const { credentials, fresh } = await world();
  const url = `${server.url}/_api/shop/prod/items/7`;
  const unsigned = await refused(async () => json(await fetch(url)));
  assert.deepEqual([unsigned.status, unsigned.body], [403, { message: 'Missing Authentication Token' }]);
  const wrongSecret = await refused(async () => json(await signer({ ...credentials, secretAccessKey: 'x'.repeat(40) }).fetch(url)));
  assert.equal(wrongSecret.status, 403);
  assert.match(String(wrongSecret.body['message']), /^The request signature we calculated does not match the signature you provided/);
  const forgedToken = await refused(async () => json(await signer({ ...credentials, sessionToken: 'forged' }).fetch(url)));
  assert.deepEqual([forgedToken.status, forgedToken.body], [403, { message: 'The security token included in the request is invalid.' }]);
  const unknownKey = await refused(async () =>
    json(await signer({ accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' }).fetch(url)),
  );
  assert.equal(unknownKey.status, 403);
  // An hour and a bit later, signed at that time: the credentials have expired.
  const later = clock.now() + 3_700_000;
  const datetime = new Date(later).toISOString().replace(/[:-]|\.\d{3}/g, '');
  const expired = await refused(() =>
    clock.travel(3_700_000, async () => json(await signer(credentials).fetch(url, { aws: { datetime } }))),
  );
  assert.deepEqual([expired.status, expired.body], [403, { message: 'The security token included in the request is expired' }]);
  const doomed = await fresh();
  assert.equal((await signer(doomed).fetch(url)).status, 200, 'valid until revoked');
  assert.ok(await server.services.store.stsSessions.revoke(doomed.accessKeyId));
  const revoked = await refused(async () => json(await signer(doomed).fetch(url)));
  assert.deepEqual([revoked.status, revoked.body], [403, { message: 'The security token included in the request is invalid.' }]);
});

test('an admin key pair stands for the account and is allowed', async () => {
  await world();
  const answer = await json(await signer(server.adminKey).fetch(`${server.url}/_api/shop/prod/items/9`, { method: 'DELETE' }));
  assert.equal(answer.status, 200);
  const identity = JSON.parse(upstream.requests.at(-1)!.headers['x-cognate-identity'] as string) as Record<string, unknown>;
  assert.equal(identity['userArn'], 'arn:aws:iam::000000000000:root');
  assert.equal(identity['cognitoIdentityId'], null);
});

/** A service of its own that checks each request with `cognate/authorizer` and answers who called. */
async function withService<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const { createServer } = await import('node:http');
  const authorize = createAuthorizer({ endpoint: server.url, apiId: 'shop', stage: 'prod' });
  const service = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      authorize({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) })
        .then((result) => {
          if (!result.allowed) return res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
          return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.identity));
        })
        .catch((error: Error) => res.writeHead(500).end(error.message));
    });
  });
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
  try {
    return await fn(`http://127.0.0.1:${(service.address() as { port: number }).port}`);
  } finally {
    service.closeAllConnections();
    await new Promise((resolve) => service.close(resolve));
  }
}

test('cognate/authorizer: a service of its own learns who signed, and gets the refusals an IAM route gives', async () => {
  const { credentials } = await world();
  await withService(async (url) => {
    const allowed = await json(await signer(credentials).fetch(`${url}/items/3?x=y`));
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body['cognitoIdentityId'], credentials.identityId);
    assert.equal(allowed.body['roleArn'], 'arn:aws:iam::000000000000:role/gw-signed-in');
    assert.equal((allowed.body['principalTags'] as Record<string, string>)['client'], (await world()).clientId);
    const body = 'a=1&b=2';
    const posted = await signer(credentials).fetch(`${url}/items`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(posted.status, 200, 'the body is part of the signature, passed as sent');
    const denied = await json(await signer(credentials).fetch(`${url}/items/secret`));
    assert.equal(denied.status, 403);
    assert.match(
      String(denied.body['Message']),
      /is not authorized to perform: execute-api:Invoke on resource: .*\/prod\/GET\/items\/secret$/,
    );
    const unsigned = await json(await fetch(`${url}/items/3`));
    assert.deepEqual([unsigned.status, unsigned.body], [403, { message: 'Missing Authentication Token' }]);
  });
  const bad = await fetch(`${server.url}/_cognate/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"method":"GET"}',
  });
  assert.equal(bad.status, 400);
});

test('the host form is signed as the client sent it', async () => {
  const { credentials } = await world();
  const port = new URL(server.url).port;
  // aws4fetch signs the Host it is given; the request goes to the loopback address with that Host.
  const signed = await signer(credentials).sign(`http://shop.execute-api.localhost:${port}/prod/items/5`);
  // fetch's Request keeps no Host header; the one signed is the API's host name.
  const headers = { ...Object.fromEntries(signed.headers.entries()), host: `shop.execute-api.localhost:${port}` };
  const status = await new Promise<number>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/prod/items/5', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 200);
  assert.equal(upstream.requests.at(-1)!.url, '/items/5');
});
