import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Services } from '../services.js';
import type { Store, UserPoolRecord } from '../store/ports.js';
import type { Sealer } from '../crypto/sealing.js';
import { newExportKey } from './export-key.js';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  clientSecretsContext,
  providerDetailsContext,
  resealDevice,
  resealProviderDetails,
  resealUser,
  type ExportHeader,
  type ExportLine,
  type ExportLineType,
} from './format.js';

/** How many rows each read of the store takes. */
const PAGE = 500;

export interface ExportOptions {
  /** One pool; every pool when absent. */
  poolId?: string;
  /** The file to write (created 0600; written beside it and renamed, so no half file is left). */
  out: string;
  passphrase: string;
}

export type ExportCounts = Partial<Record<ExportLineType, number>>;

/** Writes lines to a stream, waiting whenever the stream's buffer is full. */
class LineWriter {
  readonly counts: ExportCounts = {};
  constructor(private readonly stream: WriteStream) {}

  async header(header: ExportHeader): Promise<void> {
    await this.write(header);
  }

  async line(line: ExportLine): Promise<void> {
    this.counts[line.type] = (this.counts[line.type] ?? 0) + 1;
    await this.write(line);
  }

  private async write(value: unknown): Promise<void> {
    if (!this.stream.write(`${JSON.stringify(value)}\n`)) await once(this.stream, 'drain');
  }
}

/** Every page of a keyed listing, `PAGE` rows at a time. */
async function* pages<T>(read: (after: string | undefined) => Promise<T[]>, keyOf: (row: T) => string): AsyncGenerator<T> {
  let after: string | undefined;
  for (;;) {
    const rows = await read(after);
    yield* rows;
    if (rows.length < PAGE) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

async function exportPool(store: Store, master: Sealer, key: Sealer, pool: UserPoolRecord, out: LineWriter): Promise<void> {
  const poolId = pool.id;
  await out.line({ type: 'pool', pool });
  for await (const { secrets, ...client } of pages(
    (after) => store.clients.list(poolId, PAGE, after),
    (c) => c.clientId,
  )) {
    const sealed = secrets.length ? key.seal(JSON.stringify(secrets), clientSecretsContext(client.clientId)) : null;
    await out.line({ type: 'client', client, secrets: sealed });
  }
  const groups: string[] = [];
  for await (const group of pages(
    (after) => store.groups.list(poolId, PAGE, after),
    (g) => g.name,
  )) {
    groups.push(group.name);
    await out.line({ type: 'group', group });
  }
  for await (const server of pages(
    (after) => store.resourceServers.list(poolId, PAGE, after),
    (s) => s.identifier,
  )) {
    await out.line({ type: 'resourceServer', server });
  }
  for (const domain of await store.domains.listForPool(poolId)) await out.line({ type: 'domain', domain });
  for await (const { details, ...provider } of pages(
    (after) => store.identityProviders.list(poolId, PAGE, after),
    (p) => p.name,
  )) {
    const resealed = resealProviderDetails(provider, details, master, key);
    await out.line({
      type: 'identityProvider',
      provider,
      details: key.seal(JSON.stringify(resealed), providerDetailsContext(poolId, provider.name)),
    });
  }
  const usernameKeys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.users.list(poolId, undefined, PAGE, cursor);
    for (const user of page.users) {
      usernameKeys.push(user.usernameKey);
      await out.line({ type: 'user', user: resealUser(user, master, key) });
    }
    cursor = page.next;
  } while (cursor !== undefined);
  // After every user, so an import inserts each user before what refers to it.
  for (const group of groups) {
    for await (const member of pages(
      (after) => store.groups.members(poolId, group, PAGE, after),
      (u) => u.usernameKey,
    )) {
      await out.line({ type: 'membership', poolId, group, usernameKey: member.usernameKey });
    }
  }
  for (const usernameKey of usernameKeys) {
    for await (const device of pages(
      (after) => store.devices.listForUser(poolId, usernameKey, PAGE, after),
      (d) => d.deviceKey,
    )) {
      await out.line({ type: 'device', device: resealDevice(device, master, key) });
    }
    for await (const credential of pages(
      (after) => store.webAuthnCredentials.listForUser(poolId, usernameKey, PAGE, after),
      (c) => c.credentialId,
    )) {
      await out.line({ type: 'passkey', credential });
    }
    for (const link of await store.linkedIdentities.listForUser(poolId, usernameKey)) await out.line({ type: 'linkedIdentity', link });
  }
}

/**
 * `cognate export`: writes one pool, or every pool, to a file read from the store directly, with
 * every secret sealed again under a key derived from the operator's passphrase. Returns how many
 * records of each kind it wrote.
 */
export async function exportPools(services: Services, options: ExportOptions): Promise<ExportCounts> {
  const { store, sealer: master } = services;
  let pools: UserPoolRecord[];
  if (options.poolId !== undefined) {
    const pool = await store.pools.get(options.poolId);
    if (!pool) throw new Error(`user pool ${options.poolId} does not exist`);
    pools = [pool];
  } else {
    pools = [];
    for await (const pool of pages(
      (after) => store.pools.list(PAGE, after),
      (p) => p.id,
    ))
      pools.push(pool);
  }
  const { kdf, sealer: key, keyCheck } = await newExportKey(options.passphrase);
  const partial = `${options.out}.partial`;
  const stream = createWriteStream(partial, { mode: 0o600 });
  const out = new LineWriter(stream);
  try {
    await out.header({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: services.clock.now(), kdf, keyCheck });
    for (const pool of pools) await exportPool(store, master, key, pool, out);
    const counts = { ...out.counts };
    await out.line({ type: 'end', counts });
    stream.end();
    await once(stream, 'finish');
    await rename(partial, options.out);
    return counts;
  } catch (error) {
    stream.destroy();
    await rm(partial, { force: true });
    throw error;
  }
}
