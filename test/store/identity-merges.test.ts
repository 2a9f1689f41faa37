import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0 } from './fixtures.js';

const POOL = 'us-east-1:00000000-0000-4000-8000-0000000000cc';
const OTHER_POOL = 'us-east-1:00000000-0000-4000-8000-0000000000dd';
const DEVELOPER = 'login.example.app';
const USER_POOL = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc';

function identity(id: string, logins: IdentityRecord['logins']): IdentityRecord {
  return { id, identityPoolId: POOL, logins, createdAt: T0, updatedAt: T0 };
}

/** MergeDeveloperIdentities' store step and the principal tag maps, run on each engine. */
function defineSuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('merge moves every login of the source to the destination and deletes the source', async () => {
    await store.identities.create(
      identity('us-east-1:src', [
        { providerName: DEVELOPER, subject: 'a' },
        { providerName: USER_POOL, subject: 'u1' },
      ]),
    );
    await store.identities.create(identity('us-east-1:dst', [{ providerName: DEVELOPER, subject: 'b' }]));
    await store.identities.merge('us-east-1:src', 'us-east-1:dst', T0 + 5);
    assert.equal(await store.identities.get('us-east-1:src'), undefined);
    assert.deepEqual(await store.identities.get('us-east-1:dst'), {
      ...identity('us-east-1:dst', [
        { providerName: USER_POOL, subject: 'u1' },
        { providerName: DEVELOPER, subject: 'a' },
        { providerName: DEVELOPER, subject: 'b' },
      ]),
      updatedAt: T0 + 5,
    });
    assert.equal((await store.identities.findByLogin(POOL, { providerName: DEVELOPER, subject: 'a' }))?.id, 'us-east-1:dst');
    assert.deepEqual(
      (await store.identities.list(POOL, 10)).map((row) => row.id),
      ['us-east-1:dst'],
    );
  });

  test('principal tag maps are kept per pool and provider, replaced by a new one, and deleted with the pool', async () => {
    assert.equal(await store.principalTagMaps.get(POOL, USER_POOL), undefined);
    const map = { identityPoolId: POOL, providerName: USER_POOL, useDefaults: true, principalTags: { mail: 'email', ünï: 'custom:ünï' } };
    await store.principalTagMaps.put(map);
    await store.principalTagMaps.put({ ...map, providerName: DEVELOPER, useDefaults: false });
    await store.principalTagMaps.put({ ...map, identityPoolId: OTHER_POOL });
    assert.deepEqual(await store.principalTagMaps.get(POOL, USER_POOL), map);
    const replaced = { ...map, useDefaults: false, principalTags: {} };
    await store.principalTagMaps.put(replaced);
    assert.deepEqual(await store.principalTagMaps.get(POOL, USER_POOL), replaced);
    await store.principalTagMaps.deleteForPool(POOL);
    assert.equal(await store.principalTagMaps.get(POOL, USER_POOL), undefined);
    assert.equal(await store.principalTagMaps.get(POOL, DEVELOPER), undefined);
    assert.deepEqual(await store.principalTagMaps.get(OTHER_POOL, USER_POOL), { ...map, identityPoolId: OTHER_POOL });
  });
}

describeOnEachEngine('identity merges and principal tag maps', defineSuite);
