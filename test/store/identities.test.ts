import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine } from './harness.js';
import { T0 } from './fixtures.js';

const POOL = 'us-east-1:00000000-0000-4000-8000-0000000000aa';
const OTHER_POOL = 'us-east-1:00000000-0000-4000-8000-0000000000bb';
const USER_POOL = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc';

function identity(id: string, over: Partial<IdentityRecord> = {}): IdentityRecord {
  return { id, identityPoolId: POOL, logins: [], createdAt: T0, updatedAt: T0, ...over };
}

/** The identity store cases, run on each engine. */
function defineIdentitySuite(engine: StoreEngine): void {
  let store: Store;
  withFreshStore(engine, (fresh) => {
    store = fresh.store;
  });

  test('create and get round-trip an identity with its logins in provider order; an unknown ID is undefined', async () => {
    const created = identity('us-east-1:1', {
      logins: [
        { providerName: USER_POOL, subject: 'sub-ünï' },
        { providerName: 'accounts.google.com', subject: 'g1' },
      ],
      updatedAt: T0 + 1,
    });
    assert.equal(await store.identities.create(created), true);
    assert.deepEqual(await store.identities.get(created.id), { ...created, logins: [created.logins[1], created.logins[0]] });
    assert.equal(await store.identities.get('us-east-1:nope'), undefined);
  });

  test('findByLogin finds the identity a subject signs in as, in its pool only', async () => {
    const linked = identity('us-east-1:2', { logins: [{ providerName: USER_POOL, subject: 'u2' }] });
    await store.identities.create(linked);
    assert.deepEqual(await store.identities.findByLogin(POOL, { providerName: USER_POOL, subject: 'u2' }), linked);
    assert.equal(await store.identities.findByLogin(OTHER_POOL, { providerName: USER_POOL, subject: 'u2' }), undefined);
    assert.equal(await store.identities.findByLogin(POOL, { providerName: USER_POOL, subject: 'u3' }), undefined);
  });

  test('a login already linked in the pool refuses the whole identity; in another pool it is free', async () => {
    await store.identities.create(identity('us-east-1:3', { logins: [{ providerName: USER_POOL, subject: 'u3' }] }));
    const racer = identity('us-east-1:3b', {
      logins: [
        { providerName: 'accounts.google.com', subject: 'fresh' },
        { providerName: USER_POOL, subject: 'u3' },
      ],
    });
    assert.equal(await store.identities.create(racer), false);
    assert.equal(await store.identities.get(racer.id), undefined);
    assert.equal(await store.identities.findByLogin(POOL, { providerName: 'accounts.google.com', subject: 'fresh' }), undefined);
    const elsewhere = identity('us-east-1:3c', { identityPoolId: OTHER_POOL, logins: [{ providerName: USER_POOL, subject: 'u3' }] });
    assert.equal(await store.identities.create(elsewhere), true);
  });

  test('link adds a login to an identity, and refuses one that another identity of the pool has', async () => {
    const guest = identity('us-east-1:4', { logins: [] });
    await store.identities.create(guest);
    await store.identities.create(identity('us-east-1:5', { logins: [{ providerName: USER_POOL, subject: 'u5' }] }));
    assert.equal(await store.identities.link(guest, { providerName: USER_POOL, subject: 'u4' }, T0 + 3), true);
    assert.equal(await store.identities.link(guest, { providerName: USER_POOL, subject: 'u4' }, T0 + 4), true);
    assert.equal(await store.identities.link(guest, { providerName: USER_POOL, subject: 'u5' }, T0 + 5), false);
    assert.deepEqual(await store.identities.get(guest.id), {
      ...guest,
      logins: [{ providerName: USER_POOL, subject: 'u4' }],
      updatedAt: T0 + 4,
    });
    assert.equal((await store.identities.findByLogin(POOL, { providerName: USER_POOL, subject: 'u5' }))?.id, 'us-east-1:5');
  });

  test("list pages a pool's identities in ID order; unlink and delete", async () => {
    const pool = 'eu-west-1:list';
    for (const id of ['eu-west-1:c', 'eu-west-1:a', 'eu-west-1:b']) {
      await store.identities.create(identity(id, { identityPoolId: pool, logins: [{ providerName: USER_POOL, subject: id }] }));
    }
    assert.deepEqual(
      (await store.identities.list(pool, 2)).map((i) => i.id),
      ['eu-west-1:a', 'eu-west-1:b'],
    );
    const page = await store.identities.list(pool, 5, 'eu-west-1:b');
    assert.deepEqual(
      page.map((i) => [i.id, i.logins]),
      [['eu-west-1:c', [{ providerName: USER_POOL, subject: 'eu-west-1:c' }]]],
    );

    assert.equal(await store.identities.unlink('eu-west-1:a', { providerName: USER_POOL, subject: 'other' }, T0 + 9), false);
    assert.equal(await store.identities.unlink('eu-west-1:a', { providerName: USER_POOL, subject: 'eu-west-1:a' }, T0 + 9), true);
    assert.deepEqual(await store.identities.get('eu-west-1:a'), identity('eu-west-1:a', { identityPoolId: pool, updatedAt: T0 + 9 }));
    assert.equal(await store.identities.findByLogin(pool, { providerName: USER_POOL, subject: 'eu-west-1:a' }), undefined);

    assert.equal(await store.identities.delete('eu-west-1:b'), true);
    assert.equal(await store.identities.delete('eu-west-1:b'), false);
    assert.equal(await store.identities.findByLogin(pool, { providerName: USER_POOL, subject: 'eu-west-1:b' }), undefined);
    // The login of a deleted identity is free again.
    assert.equal(
      await store.identities.create(
        identity('eu-west-1:d', { identityPoolId: pool, logins: [{ providerName: USER_POOL, subject: 'eu-west-1:b' }] }),
      ),
      true,
    );

    await store.identities.deleteForPool(pool);
    assert.deepEqual(await store.identities.list(pool, 10), []);
    assert.equal(await store.identities.findByLogin(pool, { providerName: USER_POOL, subject: 'eu-west-1:c' }), undefined);
    assert.notEqual(await store.identities.get('us-east-1:2'), undefined);
  });
}

describeOnEachEngine('identity store', defineIdentitySuite);
