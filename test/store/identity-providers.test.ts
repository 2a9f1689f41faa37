import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IdentityProviderRecord, LinkedIdentityRecord, Store } from '../../src/store/ports.js';
import { IdpIdentifierTakenError } from '../../src/store/sql/identity-providers.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import { T0, twoPools, user } from './fixtures.js';

function provider(pool: string, name: string, over: Partial<IdentityProviderRecord> = {}): IdentityProviderRecord {
  return {
    poolId: pool,
    name,
    type: 'OIDC',
    details: {
      client_id: 'upstream-client',
      client_secret: 'upstream-s3cr3t-value',
      authorize_scopes: 'openid email',
      attributes_request_method: 'GET',
      oidc_issuer: 'https://idp.example.com',
    },
    attributeMapping: { username: 'sub', email: 'email' },
    idpIdentifiers: [],
    createdAt: T0,
    updatedAt: T0 + 1,
    ...over,
  };
}

function link(pool: string, usernameKey: string, value: string, over: Partial<LinkedIdentityRecord> = {}): LinkedIdentityRecord {
  return {
    poolId: pool,
    providerName: 'Corp',
    attributeName: 'Cognito_Subject',
    attributeValue: value,
    usernameKey,
    createdAt: T0,
    ...over,
  };
}

/** The identity-provider and linked-identity store cases, run on each engine, in two pools seeded alike. */
function defineIdentityProviderSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  async function count(table: 'identity_providers' | 'identity_provider_identifiers' | 'linked_identities', pool: string): Promise<number> {
    const row = await h.open.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('pool_id', '=', pool)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test('providers: create and get round-trip every field; names are unique per pool only', async () => {
    const { a, b } = await twoPools(store);
    const inA = provider(a, 'Corp', { idpIdentifiers: ['corp', 'example.com'] });
    const inB = provider(b, 'Corp', { type: 'Google', details: { client_id: 'g', authorize_scopes: 'profile' }, idpIdentifiers: ['corp'] });
    assert.equal(await store.identityProviders.create(inA), true);
    assert.equal(await store.identityProviders.create(inB), true);
    assert.equal(await store.identityProviders.create(provider(a, 'Corp')), false);
    assert.deepEqual(await store.identityProviders.get(a, 'Corp'), inA);
    assert.deepEqual(await store.identityProviders.get(b, 'Corp'), inB);
    assert.equal(await store.identityProviders.get(a, 'corp'), undefined);
    assert.equal(await store.identityProviders.get(a, 'Other'), undefined);
  });

  test('providers: details are sealed at rest, bound to their pool and name', async () => {
    const { a } = await twoPools(store);
    await store.identityProviders.create(provider(a, 'Corp'));
    const row = await h.open.db
      .selectFrom('identity_providers')
      .selectAll()
      .where('pool_id', '=', a)
      .where('name', '=', 'Corp')
      .executeTakeFirstOrThrow();
    assert.ok(!row.details.includes('upstream-s3cr3t-value'));
    assert.ok(!row.details.includes('client_id'));
    assert.match(row.details, /^v1\./);
    assert.equal(h.sealer.openString(row.details, `identity-provider:${a}:Other`), null);
  });

  test('providers: identifiers route to one provider per pool; a taken one fails the create whole', async () => {
    const { a, b } = await twoPools(store);
    assert.equal(await store.identityProviders.create(provider(a, 'One', { idpIdentifiers: ['one', 'shared'] })), true);
    assert.equal(await store.identityProviders.create(provider(b, 'Two', { idpIdentifiers: ['shared'] })), true);
    assert.equal(await store.identityProviders.create(provider(a, 'Two', { idpIdentifiers: ['two', 'shared'] })), false);
    assert.equal(await store.identityProviders.get(a, 'Two'), undefined);
    assert.equal(await store.identityProviders.getByIdentifier(a, 'two'), undefined);
    assert.equal((await store.identityProviders.getByIdentifier(a, 'shared'))?.name, 'One');
    assert.equal((await store.identityProviders.getByIdentifier(b, 'shared'))?.name, 'Two');
    assert.equal(await store.identityProviders.getByIdentifier(b, 'one'), undefined);
    assert.equal(await store.identityProviders.getByIdentifier(a, 'SHARED'), undefined);
    assert.equal(await count('identity_provider_identifiers', a), 2);
  });

  test('providers: update replaces details, mapping and identifiers; a taken identifier saves nothing', async () => {
    const { a, b } = await twoPools(store);
    await store.identityProviders.create(provider(a, 'One', { idpIdentifiers: ['one', 'old'] }));
    await store.identityProviders.create(provider(a, 'Two', { idpIdentifiers: ['two'] }));
    await store.identityProviders.create(provider(b, 'One', { idpIdentifiers: ['one', 'old'] }));
    const changed = provider(a, 'One', {
      details: { client_id: 'new', authorize_scopes: 'openid' },
      attributeMapping: { email: 'mail' },
      idpIdentifiers: ['one', 'new'],
      updatedAt: T0 + 50,
    });
    assert.equal(await store.identityProviders.update(changed), true);
    assert.deepEqual(await store.identityProviders.get(a, 'One'), changed);
    assert.equal(await store.identityProviders.getByIdentifier(a, 'old'), undefined);
    assert.equal((await store.identityProviders.getByIdentifier(a, 'new'))?.name, 'One');
    assert.equal((await store.identityProviders.getByIdentifier(b, 'old'))?.name, 'One');

    await assert.rejects(
      store.identityProviders.update({ ...changed, idpIdentifiers: ['other', 'two'], details: { client_id: 'lost' } }),
      (error: unknown) => error instanceof IdpIdentifierTakenError && error.identifier === 'two',
    );
    assert.deepEqual(await store.identityProviders.get(a, 'One'), changed);
    assert.equal((await store.identityProviders.getByIdentifier(a, 'new'))?.name, 'One');
    assert.equal(await store.identityProviders.getByIdentifier(a, 'other'), undefined);
    assert.equal(await store.identityProviders.update(provider(a, 'Gone')), false);
  });

  test('providers: list pages in name order; delete frees the name and the identifiers', async () => {
    const { a, b } = await twoPools(store);
    for (const name of ['Charlie', 'alpha', 'Bravo', 'delta']) {
      await store.identityProviders.create(provider(a, name, { idpIdentifiers: [`id-${name}`] }));
    }
    await store.identityProviders.create(provider(b, 'Aardvark'));
    const first = await store.identityProviders.list(a, 2);
    assert.deepEqual(
      first.map((p) => p.name),
      ['Bravo', 'Charlie'],
    );
    assert.deepEqual(
      (await store.identityProviders.list(a, 5, 'Charlie')).map((p) => p.name),
      ['alpha', 'delta'],
    );
    assert.equal(await store.identityProviders.delete(a, 'Bravo'), true);
    assert.equal(await store.identityProviders.delete(a, 'Bravo'), false);
    assert.equal(await store.identityProviders.getByIdentifier(a, 'id-Bravo'), undefined);
    assert.equal(await store.identityProviders.create(provider(a, 'Echo', { idpIdentifiers: ['id-Bravo'] })), true);
    assert.deepEqual(
      (await store.identityProviders.list(b, 10)).map((p) => p.name),
      ['Aardvark'],
    );
  });

  test('links: link once, find, list a user, unlink; per pool', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      await store.users.insert(user(p, 'alice'));
      await store.users.insert(user(p, 'bob'));
    }
    assert.equal(await store.linkedIdentities.link(link(a, 'alice', 'sub-1')), true);
    assert.equal(await store.linkedIdentities.link(link(a, 'alice', 'sub-2', { providerName: 'Google', createdAt: T0 + 1 })), true);
    assert.equal(await store.linkedIdentities.link(link(a, 'alice', 'x@example.com', { attributeName: 'email', createdAt: T0 + 2 })), true);
    assert.equal(await store.linkedIdentities.link(link(a, 'bob', 'sub-1')), false);
    assert.equal(await store.linkedIdentities.link(link(b, 'bob', 'sub-1')), true);

    assert.deepEqual(await store.linkedIdentities.find(a, 'Corp', 'Cognito_Subject', 'sub-1'), link(a, 'alice', 'sub-1'));
    assert.equal((await store.linkedIdentities.find(b, 'Corp', 'Cognito_Subject', 'sub-1'))?.usernameKey, 'bob');
    assert.equal(await store.linkedIdentities.find(a, 'Corp', 'Cognito_Subject', 'sub-2'), undefined);
    assert.deepEqual(await store.linkedIdentities.attributeNames(a, 'Corp'), ['Cognito_Subject', 'email']);
    assert.deepEqual(await store.linkedIdentities.attributeNames(b, 'Corp'), ['Cognito_Subject']);
    assert.deepEqual(
      (await store.linkedIdentities.listForUser(a, 'alice')).map((l) => `${l.providerName}:${l.attributeName}:${l.attributeValue}`),
      ['Corp:Cognito_Subject:sub-1', 'Google:Cognito_Subject:sub-2', 'Corp:email:x@example.com'],
    );
    assert.deepEqual(await store.linkedIdentities.listForUser(a, 'bob'), []);

    assert.equal(await store.linkedIdentities.unlink(a, 'Corp', 'Cognito_Subject', 'sub-1'), true);
    assert.equal(await store.linkedIdentities.unlink(a, 'Corp', 'Cognito_Subject', 'sub-1'), false);
    assert.equal(await store.linkedIdentities.find(a, 'Corp', 'Cognito_Subject', 'sub-1'), undefined);
    assert.ok(await store.linkedIdentities.find(b, 'Corp', 'Cognito_Subject', 'sub-1'));
    assert.equal(await store.linkedIdentities.link(link(a, 'bob', 'sub-1')), true);
    await store.linkedIdentities.deleteForUser(a, 'bob');
    assert.deepEqual(await store.linkedIdentities.listForUser(a, 'bob'), []);
    assert.equal((await store.linkedIdentities.listForUser(a, 'alice')).length, 2);
  });

  test('deleting a user deletes its links, in that pool only', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      await store.users.insert(user(p, 'alice'));
      await store.users.insert(user(p, 'bob'));
      await store.linkedIdentities.link(link(p, 'alice', 'sub-a'));
      await store.linkedIdentities.link(link(p, 'bob', 'sub-b'));
    }
    await store.users.delete(a, 'alice');
    assert.equal(await store.linkedIdentities.find(a, 'Corp', 'Cognito_Subject', 'sub-a'), undefined);
    assert.equal((await store.linkedIdentities.find(a, 'Corp', 'Cognito_Subject', 'sub-b'))?.usernameKey, 'bob');
    assert.equal((await store.linkedIdentities.find(b, 'Corp', 'Cognito_Subject', 'sub-a'))?.usernameKey, 'alice');
  });

  test('deleting a pool deletes its providers, identifiers and links', async () => {
    const { a, b } = await twoPools(store);
    for (const p of [a, b]) {
      await store.identityProviders.create(provider(p, 'Corp', { idpIdentifiers: ['corp'] }));
      await store.users.insert(user(p, 'alice'));
      await store.linkedIdentities.link(link(p, 'alice', 'sub-a'));
    }
    await store.pools.delete(a);
    for (const table of ['identity_providers', 'identity_provider_identifiers', 'linked_identities'] as const) {
      assert.equal(await count(table, a), 0, table);
      assert.equal(await count(table, b), 1, table);
    }
  });

  test('a transaction that fails leaves no provider behind; create works inside one', async () => {
    const { a } = await twoPools(store);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.identityProviders.create(provider(a, 'Corp', { idpIdentifiers: ['corp'] }));
        throw new Error('roll back');
      }),
      { message: 'roll back' },
    );
    assert.equal(await store.identityProviders.get(a, 'Corp'), undefined);
    assert.equal(await store.identityProviders.getByIdentifier(a, 'corp'), undefined);
    const created = await store.transaction(async (tx) => {
      await tx.identityProviders.create(provider(a, 'Taken', { idpIdentifiers: ['corp'] }));
      // A taken identifier inside the caller's transaction undoes only this create.
      const again = await tx.identityProviders.create(provider(a, 'Corp', { idpIdentifiers: ['x', 'corp'] }));
      return { again, inside: await tx.identityProviders.get(a, 'Corp') };
    });
    assert.deepEqual(created, { again: false, inside: undefined });
    assert.equal((await store.identityProviders.getByIdentifier(a, 'corp'))?.name, 'Taken');
    assert.equal(await store.identityProviders.getByIdentifier(a, 'x'), undefined);
  });
}

describeOnEachEngine('identity provider store', defineIdentityProviderSuite);
