import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IamPolicyRecord, IamRoleRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0 } from './fixtures.js';

const ACCOUNT = '123456789012';
const TRUST =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}';

function role(name: string, path = '/', over: Partial<IamRoleRecord> = {}): IamRoleRecord {
  return {
    name,
    path,
    id: `AROA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:aws:iam::${ACCOUNT}:role${path}${name}`,
    trustPolicy: TRUST,
    description: 'ünïcode role',
    maxSessionDuration: 3600,
    createdAt: T0,
    ...over,
  };
}

function policy(name: string, path = '/'): IamPolicyRecord {
  return {
    name,
    path,
    id: `ANPA${name.toUpperCase().padEnd(17, 'X').slice(0, 17)}`,
    arn: `arn:aws:iam::${ACCOUNT}:policy${path}${name}`,
    document: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Sid":"${name}"}]}`,
    description: undefined,
    createdAt: T0 + 1,
  };
}

/** The IAM store cases, run on each engine. */
function defineIamSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('a role round-trips every field, by name in any case and by ARN; a second role of that name in another case is refused', async () => {
    const app = role('AppRole', '/cognito/');
    assert.equal(await store.iam.createRole(app), true);
    assert.deepEqual(await store.iam.getRole('AppRole'), app);
    assert.deepEqual(await store.iam.getRole('approle'), app);
    assert.deepEqual(await store.iam.getRoleByArn(app.arn), app);
    assert.equal(await store.iam.getRoleByArn(`arn:aws:iam::${ACCOUNT}:role/AppRole`), undefined);
    assert.equal(await store.iam.createRole(role('APPROLE')), false);
    assert.equal((await store.iam.getRole('approle'))?.name, 'AppRole');
    const bare = role('Bare', '/', { description: undefined, maxSessionDuration: 43200 });
    assert.equal(await store.iam.createRole(bare), true);
    assert.deepEqual(await store.iam.getRole('Bare'), bare);
  });

  test('the trust policy is replaced; a role that is gone reports so', async () => {
    await store.iam.createRole(role('Trusting'));
    assert.equal(await store.iam.updateTrustPolicy('TRUSTING', '{"Statement":[]}'), true);
    assert.equal((await store.iam.getRole('Trusting'))?.trustPolicy, '{"Statement":[]}');
    assert.equal(await store.iam.updateTrustPolicy('Nobody', '{}'), false);
  });

  test('roles list in name order ignoring case, under a path prefix, after a name; delete', async () => {
    for (const [name, path] of [
      ['p-b', '/list/'],
      ['P-a', '/list/deep/'],
      ['p-c', '/list/'],
      ['p-d', '/lists/'],
    ] as const)
      await store.iam.createRole(role(name, path));
    assert.deepEqual(
      (await store.iam.listRoles('/list/', 10)).map((r) => r.name),
      ['P-a', 'p-b', 'p-c'],
    );
    assert.deepEqual(
      (await store.iam.listRoles('/list', 2, 'p-a')).map((r) => r.name),
      ['p-b', 'p-c'],
    );
    assert.deepEqual(
      (await store.iam.listRoles('/list%', 10)).map((r) => r.name),
      [],
      'the prefix is a plain string, not a LIKE pattern',
    );
    assert.equal(await store.iam.deleteRole('P-B'), true);
    assert.equal(await store.iam.deleteRole('p-b'), false);
    assert.deepEqual(
      (await store.iam.listRoles('/list/', 10)).map((r) => r.name),
      ['P-a', 'p-c'],
    );
  });

  test('inline policies are put, replaced, read in any case, listed in name order and deleted', async () => {
    await store.iam.createRole(role('Inline'));
    await store.iam.putRolePolicy({ roleName: 'Inline', policyName: 'B', document: '{"v":1}' });
    await store.iam.putRolePolicy({ roleName: 'Inline', policyName: 'a', document: '{"v":2}' });
    await store.iam.putRolePolicy({ roleName: 'inline', policyName: 'b', document: '{"v":3}' });
    assert.deepEqual(await store.iam.getRolePolicy('INLINE', 'B'), { roleName: 'INLINE', policyName: 'b', document: '{"v":3}' });
    assert.equal(await store.iam.getRolePolicy('Inline', 'c'), undefined);
    assert.deepEqual(await store.iam.listRolePolicies('Inline', 10), ['a', 'b']);
    assert.deepEqual(await store.iam.listRolePolicies('Inline', 10, 'a'), ['b']);
    assert.equal(await store.iam.deleteRolePolicy('Inline', 'A'), true);
    assert.equal(await store.iam.deleteRolePolicy('Inline', 'a'), false);
    assert.deepEqual(await store.iam.listRolePolicies('Inline', 10), ['b']);
  });

  test('managed policies: one per name in any case, found by ARN, attached once, listed under a path, detached', async () => {
    const invoke = policy('Invoke', '/api/');
    const other = policy('Other');
    assert.equal(await store.iam.createPolicy(invoke), true);
    assert.equal(await store.iam.createPolicy(other), true);
    assert.equal(await store.iam.createPolicy(policy('INVOKE')), false);
    assert.deepEqual(await store.iam.getPolicy(invoke.arn), invoke);
    assert.equal(await store.iam.getPolicy(`arn:aws:iam::${ACCOUNT}:policy/Invoke`), undefined);

    await store.iam.createRole(role('Attached'));
    await store.iam.attachRolePolicy('Attached', invoke.arn);
    await store.iam.attachRolePolicy('attached', invoke.arn);
    await store.iam.attachRolePolicy('Attached', other.arn);
    // In ARN order, by code point: `policy/Other` before `policy/api/Invoke`.
    assert.deepEqual(await store.iam.listAttachedRolePolicies('Attached', '/', 10), [other, invoke]);
    assert.deepEqual(await store.iam.listAttachedRolePolicies('Attached', '/api/', 10), [invoke]);
    assert.deepEqual(await store.iam.listAttachedRolePolicies('Attached', '/', 10, other.arn), [invoke]);

    await store.iam.putRolePolicy({ roleName: 'Attached', policyName: 'own', document: '{}' });
    assert.deepEqual(await store.iam.rolePolicies('ATTACHED'), {
      inline: [{ roleName: 'ATTACHED', policyName: 'own', document: '{}' }],
      attached: [other, invoke],
    });

    assert.equal(await store.iam.detachRolePolicy('Attached', invoke.arn), true);
    assert.equal(await store.iam.detachRolePolicy('Attached', invoke.arn), false);
    assert.deepEqual(await store.iam.listAttachedRolePolicies('Attached', '/', 10), [other]);
  });
}

describeOnEachEngine('IAM store', defineIamSuite);
