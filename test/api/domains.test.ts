import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';
const CERT_2 = 'arn:aws:acm:us-east-1:123456789012:certificate/ffffffff-5678-90ab-cdef-EXAMPLE33333';

async function newPool(): Promise<string> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'domains' }));
  return created.UserPool!.Id!;
}

function uniquePrefix(): string {
  return `login-${randomBytes(4).toString('hex')}`;
}

function uniqueHost(): string {
  return `auth-${randomBytes(4).toString('hex')}.example.com`;
}

function version(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

test('a prefix domain: created, described, shown by DescribeUserPool, deleted', async () => {
  const poolId = await newPool();
  const prefix = uniquePrefix();
  const created = await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  assert.equal(created.CloudFrontDomain, undefined, 'prefix domains get no CloudFrontDomain');
  assert.equal(created.ManagedLoginVersion, 1);

  const described = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
  const d = described.DomainDescription!;
  assert.deepEqual(Object.keys(d).sort(), [
    'AWSAccountId',
    'CloudFrontDistribution',
    'Domain',
    'ManagedLoginVersion',
    'S3Bucket',
    'Status',
    'UserPoolId',
    'Version',
  ]);
  assert.equal(d.UserPoolId, poolId);
  assert.equal(d.AWSAccountId, server.services.config.accountId);
  assert.equal(d.Domain, prefix);
  assert.equal(d.S3Bucket, 'aws-cognito-prod-iad-assets');
  assert.match(d.CloudFrontDistribution!, /^d[a-z2-7]{13}\.cloudfront\.net$/);
  assert.equal(d.Version, version(clock.now()));
  assert.equal(d.Status, 'ACTIVE');
  assert.equal(d.ManagedLoginVersion, 1);

  const pool = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(pool.UserPool!.Domain, prefix);
  assert.equal(pool.UserPool!.CustomDomain, undefined);

  assert.deepEqual(
    Object.keys(await server.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }))).filter(
      (k) => k !== '$metadata',
    ),
    [],
  );
  const gone = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }));
  assert.deepEqual(gone.DomainDescription, {});
  const after = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(after.UserPool!.Domain, undefined);
});

test('an unknown domain is described as an empty DomainDescription', async () => {
  const out = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: uniquePrefix() }));
  assert.deepEqual(out.DomainDescription, {});
  const host = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: uniqueHost() }));
  assert.deepEqual(host.DomainDescription, {});
});

test('a custom domain: CloudFrontDomain, CustomDomainConfig, ManagedLoginVersion 2, CustomDomain in the pool', async () => {
  const poolId = await newPool();
  const host = uniqueHost();
  const created = await server.admin.send(
    new CreateUserPoolDomainCommand({
      UserPoolId: poolId,
      Domain: host,
      ManagedLoginVersion: 2,
      CustomDomainConfig: { CertificateArn: CERT },
    }),
  );
  assert.match(created.CloudFrontDomain!, /^d[a-z2-7]{13}\.cloudfront\.net$/);
  assert.equal(created.ManagedLoginVersion, 2);

  const d = (await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription!;
  assert.equal(d.Domain, host);
  assert.equal(d.UserPoolId, poolId);
  assert.equal(d.CloudFrontDistribution, created.CloudFrontDomain);
  assert.deepEqual(d.CustomDomainConfig, { CertificateArn: CERT });
  assert.equal(d.ManagedLoginVersion, 2);
  assert.equal(d.Status, 'ACTIVE');

  // A pool may hold a prefix domain next to its custom domain.
  const prefix = uniquePrefix();
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  const pool = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  assert.equal(pool.Domain, prefix);
  assert.equal(pool.CustomDomain, host);
});

test('domain names are unique across pools', async () => {
  const first = await newPool();
  const second = await newPool();
  const prefix = uniquePrefix();
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: first, Domain: prefix }));
  const error = await captureError(() => server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: prefix })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'Domain already associated with another user pool.');
  assert.equal(error.$metadata?.httpStatusCode, 400);

  const host = uniqueHost();
  await server.admin.send(
    new CreateUserPoolDomainCommand({ UserPoolId: first, Domain: host, CustomDomainConfig: { CertificateArn: CERT } }),
  );
  const customError = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: host, CustomDomainConfig: { CertificateArn: CERT } })),
  );
  assert.equal(customError.name, 'InvalidParameterException');
  assert.equal(customError.message, 'Domain already associated with another user pool.');

  // Deleting frees the name for any pool.
  await server.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: first, Domain: prefix }));
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: second, Domain: prefix }));
  const d = (await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription!;
  assert.equal(d.UserPoolId, second);
});

test('one prefix domain and one custom domain per pool', async () => {
  const poolId = await newPool();
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniquePrefix() }));
  const error = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniquePrefix() })),
  );
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'User pool already has a domain configured.');

  await server.admin.send(
    new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniqueHost(), CustomDomainConfig: { CertificateArn: CERT } }),
  );
  const customError = await captureError(() =>
    server.admin.send(
      new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: uniqueHost(), CustomDomainConfig: { CertificateArn: CERT } }),
    ),
  );
  assert.equal(customError.name, 'InvalidParameterException');
  assert.equal(customError.message, 'User pool already has a domain configured.');
});

test('prefix domains follow the model pattern and avoid reserved words', async () => {
  const poolId = await newPool();
  const dotted = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'auth.example.com' })),
  );
  assert.equal(dotted.name, 'InvalidParameterException');
  assert.equal(
    dotted.message,
    'The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. ' +
      'Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
  );
  // Anything that is neither a prefix nor a host name breaks the model's pattern at the edge.
  const upper = await captureError(() => server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'MyLogin' })));
  assert.equal(upper.name, 'InvalidParameterException');
  assert.equal(
    upper.message,
    "1 validation error detected: Value 'MyLogin' at 'domain' failed to satisfy constraint: " +
      'Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$',
  );

  const reserved = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'my-aws-login' })),
  );
  assert.equal(reserved.name, 'InvalidParameterException');
  assert.equal(reserved.message, 'Domain cannot contain reserved word: aws');

  const tooLong = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'a'.repeat(64) })),
  );
  assert.equal(tooLong.name, 'InvalidParameterException');
  const a64 = 'a'.repeat(64);
  assert.equal(
    tooLong.message,
    `2 validation errors detected: Value '${a64}' at 'domain' failed to satisfy constraint: Member must have length less than or equal to 63; ` +
      `Value '${a64}' at 'domain' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$`,
  );
});

test('an unknown pool is ResourceNotFoundException', async () => {
  const error = await captureError(() =>
    server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: 'us-east-1_nothere00', Domain: uniquePrefix() })),
  );
  assert.equal(error.name, 'ResourceNotFoundException');
  assert.equal(error.message, 'User pool us-east-1_nothere00 does not exist.');
});

test('UpdateUserPoolDomain changes the managed login version and the certificate', async () => {
  const poolId = await newPool();
  const host = uniqueHost();
  const created = await server.admin.send(
    new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERT } }),
  );
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(5_000, async () => {
    const updated = await server.admin.send(
      new UpdateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: host,
        ManagedLoginVersion: 2,
        CustomDomainConfig: { CertificateArn: CERT_2, SecurityPolicy: 'TLS_V1_2_2021' },
      }),
    );
    assert.equal(updated.CloudFrontDomain, created.CloudFrontDomain);
    assert.equal(updated.ManagedLoginVersion, 2);
    const d = (await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: host }))).DomainDescription!;
    assert.deepEqual(d.CustomDomainConfig, { CertificateArn: CERT_2, SecurityPolicy: 'TLS_V1_2_2021' });
    assert.equal(d.ManagedLoginVersion, 2);
    assert.equal(d.Version, version(clock.now()));

    const prefix = uniquePrefix();
    await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
    const prefixUpdate = await server.admin.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 2 }),
    );
    assert.equal(prefixUpdate.CloudFrontDomain, undefined);
    assert.equal(prefixUpdate.ManagedLoginVersion, 2);

    const bad = await captureError(() =>
      server.admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix, ManagedLoginVersion: 3 })),
    );
    assert.equal(bad.name, 'InvalidParameterException');
  });
});

test('a domain of another pool cannot be updated or deleted through this pool', async () => {
  const owner = await newPool();
  const other = await newPool();
  const prefix = uniquePrefix();
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: owner, Domain: prefix }));
  const del = await captureError(() => server.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: prefix })));
  assert.equal(del.name, 'InvalidParameterException');
  assert.equal(del.message, 'No such domain or user pool exists.');
  const upd = await captureError(() =>
    server.admin.send(new UpdateUserPoolDomainCommand({ UserPoolId: other, Domain: prefix, ManagedLoginVersion: 2 })),
  );
  assert.equal(upd.name, 'InvalidParameterException');
  assert.equal(upd.message, 'No such domain or user pool exists.');
  const missing = await captureError(() =>
    server.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: owner, Domain: uniquePrefix() })),
  );
  assert.equal(missing.message, 'No such domain or user pool exists.');
  // Still there, still the owner's.
  const d = (await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: prefix }))).DomainDescription!;
  assert.equal(d.UserPoolId, owner);
});

test('DeleteUserPool refuses a pool that still has a domain', async () => {
  const poolId = await newPool();
  const prefix = uniquePrefix();
  await server.admin.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  const error = await captureError(() => server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId })));
  assert.equal(error.name, 'InvalidParameterException');
  assert.equal(error.message, 'User pool cannot be deleted. It has a domain configured that should be deleted first.');
  await server.admin.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: prefix }));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
});
