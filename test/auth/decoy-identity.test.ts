import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { serverForTests, startTestServer, type TestServer } from '../support/server.js';
import { decoyIdentity } from '../../src/auth/steps/decoy.js';
import type { UserPoolRecord } from '../../src/store/ports.js';
import { createPool } from '../api/auth-fixtures.js';

/*
 * The decoy of a name that matches no user is derived from one secret, stored sealed under the
 * setting `srp-decoy-key` so every node (and every version) derives the same decoys: a stored key
 * is the one used, and each part has its own purpose in the derivation.
 */

let server: TestServer;
serverForTests((started) => (server = started));

const KEY = randomBytes(32);

/** Stores the key, as another node would have, before anything asks for a decoy (then finds it in force). */
async function storeKnownKey(): Promise<void> {
  const stored = await server.services.store.settings.setIfAbsent('srp-decoy-key', server.services.sealer.seal(KEY, 'srp-decoy-key'));
  assert.equal(server.services.sealer.open(stored, 'srp-decoy-key')?.toString('hex'), KEY.toString('hex'), 'the known key is in force');
}

function derive(purpose: string, pool: UserPoolRecord, name: string): string {
  return createHmac('sha256', KEY).update(`${purpose}\0${pool.id}\0${name}`).digest('hex');
}

/** The version-4-shaped UUID decoy.ts makes from a digest. */
function uuidFrom(hex: string): string {
  const variant = '89ab'[parseInt(hex[16]!, 16) % 4];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function poolRecord(input: Parameters<typeof createPool>[1] = {}): Promise<UserPoolRecord> {
  return (await server.services.store.pools.get(await createPool(server, input)))!;
}

test('a decoy comes from the stored decoy key: its sub, salt and name each from their own purpose', async () => {
  await storeKnownKey();
  const plain = await poolRecord();
  assert.deepEqual(await decoyIdentity(server.services, plain, 'Nobody'), {
    username: 'Nobody',
    sub: uuidFrom(derive('sub', plain, 'Nobody')),
    salt: derive('salt', plain, 'Nobody').slice(0, 32),
  });

  const byEmail = await poolRecord({ UsernameAttributes: ['email'] });
  const decoy = await decoyIdentity(server.services, byEmail, 'nobody@example.com');
  assert.deepEqual(decoy, {
    username: uuidFrom(derive('username', byEmail, 'nobody@example.com')),
    sub: uuidFrom(derive('sub', byEmail, 'nobody@example.com')),
    salt: derive('salt', byEmail, 'nobody@example.com').slice(0, 32),
  });
});

test('where names are emails, a typed UUID stands as it is, and anything else gets a derived UUID', async () => {
  await storeKnownKey();
  const byEmail = await poolRecord({ UsernameAttributes: ['email'] });
  const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';
  assert.equal((await decoyIdentity(server.services, byEmail, uuid)).username, uuid);
  assert.equal((await decoyIdentity(server.services, byEmail, uuid.toUpperCase())).username, uuid.toUpperCase());
  for (const typed of [`x${uuid}`, `${uuid}x`, uuid.slice(1)]) {
    assert.equal((await decoyIdentity(server.services, byEmail, typed)).username, uuidFrom(derive('username', byEmail, typed)), typed);
  }
});

test('a stored decoy key that does not open under the master key stops the decoy with a clear error', async () => {
  const other = await startTestServer();
  try {
    await other.services.store.settings.put('srp-decoy-key', other.services.sealer.seal(randomBytes(32), 'another purpose'));
    const pool = (await other.services.store.pools.get(await createPool(other)))!;
    await assert.rejects(decoyIdentity(other.services, pool, 'Nobody'), {
      message: 'the stored SRP decoy key fails to open (wrong master key?)',
    });
  } finally {
    await other.stop();
  }
});
