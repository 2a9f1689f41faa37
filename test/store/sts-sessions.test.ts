import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StsSessionRecord, Store } from '../../src/store/ports.js';
import { describeOnEachEngine, withFreshStore, type StoreEngine, type StoreHarness } from './harness.js';
import { T0, tag } from './fixtures.js';

function session(over: Partial<StsSessionRecord> = {}): StsSessionRecord {
  return {
    accessKeyId: `ASIA${tag()
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(16, '0')
      .slice(0, 16)}`,
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    tokenHash: 'a'.repeat(64),
    roleArn: 'arn:aws:iam::000000000000:role/signed-in',
    sessionName: 'CognitoIdentityCredentials',
    subject: 'us-east-1:00000000-0000-4000-8000-000000000001',
    source: 'cognito-identity',
    createdAt: T0,
    // Past 2^31 seconds and milliseconds alike.
    expiresAt: T0 + 3_600_000,
    revoked: false,
    principalTags: { department: 'sales' },
    ...over,
  };
}

/** The STS session store cases, run on each engine. */
function defineSuite(engine: StoreEngine): void {
  let h: StoreHarness;
  let store: Store;
  withFreshStore(engine, (fresh) => {
    h = fresh;
    store = fresh.store;
  });

  test('a session reads back as stored; an unknown access key id is undefined', async () => {
    const stored = session({ source: 'web-identity', subject: 'ünïcode-sub', principalTags: { team: 'blue', ünï: 'cödé,two' } });
    await store.stsSessions.insert(stored);
    assert.deepEqual(await store.stsSessions.get(stored.accessKeyId), stored);
    assert.equal(await store.stsSessions.get('ASIAUNKNOWN000000000'), undefined);
  });

  test('the secret is sealed at rest, to its own access key id', async () => {
    const a = session();
    const b = session();
    await store.stsSessions.insert(a);
    await store.stsSessions.insert(b);
    const rows = await h.open.db.selectFrom('sts_sessions').select(['access_key_id', 'secret']).execute();
    const rowA = rows.find((row) => row.access_key_id === a.accessKeyId)!;
    assert.ok(!rowA.secret.includes(a.secretAccessKey), 'the secret is not stored in clear');
    assert.equal(h.sealer.openString(rowA.secret, `sts-session:${a.accessKeyId}`), a.secretAccessKey);
    // A sealed secret moved to another session does not open there: that session is no session.
    await h.open.db.updateTable('sts_sessions').set({ secret: rowA.secret }).where('access_key_id', '=', b.accessKeyId).execute();
    assert.equal(await store.stsSessions.get(b.accessKeyId), undefined);
    assert.ok(await store.stsSessions.get(a.accessKeyId));
  });

  test('revoke marks one session revoked and reports an unknown one', async () => {
    const a = session();
    const b = session();
    await store.stsSessions.insert(a);
    await store.stsSessions.insert(b);
    assert.equal(await store.stsSessions.revoke(a.accessKeyId), true);
    assert.equal((await store.stsSessions.get(a.accessKeyId))?.revoked, true);
    assert.equal((await store.stsSessions.get(b.accessKeyId))?.revoked, false);
    assert.equal(await store.stsSessions.revoke('ASIAUNKNOWN000000000'), false);
  });

  test('deleteExpired removes the sessions that expired before the time and counts them', async () => {
    const old = session({ expiresAt: T0 - 1 });
    const current = session({ expiresAt: T0 });
    await store.stsSessions.insert(old);
    await store.stsSessions.insert(current);
    assert.equal(await store.stsSessions.deleteExpired(T0), 1);
    assert.equal(await store.stsSessions.get(old.accessKeyId), undefined);
    assert.ok(await store.stsSessions.get(current.accessKeyId));
  });
}

describeOnEachEngine('STS session store', defineSuite);
