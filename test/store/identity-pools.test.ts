import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityPoolRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0 } from './fixtures.js';

function identityPool(id: string, over: Partial<IdentityPoolRecord> = {}): IdentityPoolRecord {
  return {
    id,
    name: `pool ${id}`,
    config: {
      AllowUnauthenticatedIdentities: true,
      AllowClassicFlow: false,
      SupportedLoginProviders: { 'accounts.google.com': 'app.apps.googleusercontent.com' },
      CognitoIdentityProviders: [
        { ProviderName: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc', ClientId: 'c1', ServerSideTokenCheck: true },
      ],
    },
    tags: { team: 'ünïcode' },
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

/** The identity pool store cases, run on each engine. */
function defineIdentityPoolSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('create and get round-trip every field; an unknown ID is undefined', async () => {
    const pool = identityPool('us-east-1:00000000-0000-4000-8000-000000000001');
    await store.identityPools.create(pool);
    assert.deepEqual(await store.identityPools.get(pool.id), pool);
    assert.equal(await store.identityPools.get('us-east-1:00000000-0000-4000-8000-000000000009'), undefined);
  });

  test('update replaces name, settings and tags of one pool only, and reports a pool that is gone', async () => {
    const a = identityPool('us-east-1:00000000-0000-4000-8000-00000000000a');
    const b = identityPool('us-east-1:00000000-0000-4000-8000-00000000000b');
    await store.identityPools.create(a);
    await store.identityPools.create(b);
    const changed: IdentityPoolRecord = {
      ...a,
      name: 'renamed',
      config: { AllowUnauthenticatedIdentities: false },
      tags: {},
      updatedAt: T0 + 5,
    };
    assert.equal(await store.identityPools.update(changed), true);
    assert.deepEqual(await store.identityPools.get(a.id), changed);
    assert.deepEqual(await store.identityPools.get(b.id), b);
    assert.equal(await store.identityPools.update(identityPool('us-east-1:00000000-0000-4000-8000-0000000000ff')), false);
  });

  test('list pages in ID order after a key; delete', async () => {
    const ids = ['eu-west-1:3', 'eu-west-1:1', 'eu-west-1:2'];
    // The other cases' pools are in us-east-1, whose IDs sort after these.
    for (const id of ids) await store.identityPools.create(identityPool(id));
    assert.deepEqual(
      (await store.identityPools.list(2)).map((p) => p.id),
      ['eu-west-1:1', 'eu-west-1:2'],
    );
    assert.deepEqual(
      (await store.identityPools.list(1, 'eu-west-1:2')).map((p) => p.id),
      ['eu-west-1:3'],
    );
    assert.equal(await store.identityPools.delete('eu-west-1:2'), true);
    assert.equal(await store.identityPools.delete('eu-west-1:2'), false);
    assert.deepEqual(
      (await store.identityPools.list(2)).map((p) => p.id),
      ['eu-west-1:1', 'eu-west-1:3'],
    );
  });

  test('roles start empty, are replaced whole, survive an update of the settings, and report a pool that is gone', async () => {
    const pool = identityPool('us-east-1:00000000-0000-4000-8000-0000000000c1');
    await store.identityPools.create(pool);
    assert.deepEqual(await store.identityPools.roles(pool.id), {});
    const roles = {
      Roles: { authenticated: 'arn:aws:iam::000000000000:role/signed-in' },
      RoleMappings: {
        'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc:c1': {
          Type: 'Rules' as const,
          AmbiguousRoleResolution: 'Deny' as const,
          RulesConfiguration: {
            Rules: [{ Claim: 'ünï', MatchType: 'Equals' as const, Value: 'x', RoleARN: 'arn:aws:iam::000000000000:role/x' }],
          },
        },
      },
    };
    assert.equal(await store.identityPools.setRoles(pool.id, roles, T0 + 1), true);
    assert.deepEqual(await store.identityPools.roles(pool.id), roles);
    await store.identityPools.update({ ...pool, name: 'renamed', updatedAt: T0 + 2 });
    assert.deepEqual(await store.identityPools.roles(pool.id), roles);
    const fewer = { Roles: { unauthenticated: 'arn:aws:iam::000000000000:role/guest' } };
    assert.equal(await store.identityPools.setRoles(pool.id, fewer, T0 + 3), true);
    assert.deepEqual(await store.identityPools.roles(pool.id), fewer);
    assert.equal(await store.identityPools.setRoles('us-east-1:00000000-0000-4000-8000-0000000000c9', fewer, T0), false);
    assert.equal(await store.identityPools.roles('us-east-1:00000000-0000-4000-8000-0000000000c9'), undefined);
  });
}

describeOnEachEngine('identity pool store', defineIdentityPoolSuite);
