import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Services } from '../services.js';
import type { ClientSecretRecord, Store, UserRecord } from '../store/ports.js';
import type { Sealer } from '../crypto/sealing.js';
import { openExportKey, type ExportKdf } from './export-key.js';
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
import type { ExportCounts } from './export.js';

/** Users inserted per statement. */
const USER_BATCH = 500;

export interface ImportOptions {
  file: string;
  passphrase: string;
  /** Deletes a pool of the same ID (and everything in it) instead of refusing the file. */
  replace?: boolean;
}

/** Why a file was refused; nothing of it was imported. */
export class ImportError extends Error {}

const LINE_TYPES: ReadonlySet<string> = new Set<ExportLineType>([
  'pool',
  'client',
  'group',
  'resourceServer',
  'domain',
  'identityProvider',
  'user',
  'membership',
  'device',
  'passkey',
  'linkedIdentity',
  'end',
]);

function parseLine(text: string, at: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ImportError(`line ${at}: not JSON`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkHeader(value: unknown): ExportHeader {
  if (!isObject(value) || value['format'] !== EXPORT_FORMAT) throw new ImportError('line 1: not a Cognate export file');
  if (value['version'] !== EXPORT_VERSION) {
    throw new ImportError(`line 1: export format version ${String(value['version'])}; this Cognate reads version ${EXPORT_VERSION}`);
  }
  if (!isObject(value['kdf']) || typeof value['keyCheck'] !== 'string') throw new ImportError('line 1: the header has no key derivation');
  return value as unknown as ExportHeader;
}

/** The one member each kind of line must carry as an object, and the pool it names. */
const RECORD_OF: Partial<Record<ExportLineType, string>> = {
  pool: 'pool',
  client: 'client',
  group: 'group',
  resourceServer: 'server',
  domain: 'domain',
  identityProvider: 'provider',
  user: 'user',
  device: 'device',
  passkey: 'credential',
  linkedIdentity: 'link',
};

function checkLine(value: unknown, at: number, poolId: string | undefined): ExportLine {
  if (!isObject(value) || typeof value['type'] !== 'string' || !LINE_TYPES.has(value['type'])) {
    throw new ImportError(`line ${at}: not a record of a Cognate export file`);
  }
  const type = value['type'] as ExportLineType;
  const member = RECORD_OF[type];
  const record = member === undefined ? value : value[member];
  if (!isObject(record)) throw new ImportError(`line ${at}: a ${type} line without its record`);
  if (type === 'pool' || type === 'end') return value as unknown as ExportLine;
  const recordPool = type === 'membership' ? value['poolId'] : (record['poolId'] ?? record['UserPoolId']);
  if (poolId === undefined || recordPool !== poolId) throw new ImportError(`line ${at}: a ${type} line outside its pool`);
  return value as unknown as ExportLine;
}

/** Writes the lines of a file into a store (bound to one transaction), sealing secrets with the master key. */
class Importer {
  readonly counts: ExportCounts = {};
  poolId: string | undefined;
  private users: UserRecord[] = [];

  constructor(
    private readonly tx: Store,
    private readonly key: Sealer,
    private readonly master: Sealer,
    private readonly replace: boolean,
  ) {}

  async write(line: ExportLine): Promise<void> {
    if (line.type !== 'user') await this.flushUsers();
    if (line.type !== 'end') this.counts[line.type] = (this.counts[line.type] ?? 0) + 1;
    const { tx, key, master } = this;
    switch (line.type) {
      case 'pool': {
        const { pool } = line;
        if (await tx.pools.get(pool.id)) {
          if (!this.replace) throw new ImportError(`user pool ${pool.id} already exists (--replace deletes it and imports the file's)`);
          await tx.pools.delete(pool.id);
        }
        await tx.pools.create(pool);
        this.poolId = pool.id;
        return;
      }
      case 'client': {
        const { client } = line;
        const taken = await tx.clients.getById(client.clientId);
        if (taken) throw new ImportError(`app client ${client.clientId} already exists in user pool ${taken.poolId}`);
        let secrets: ClientSecretRecord[] = [];
        if (line.secrets !== null) {
          const opened = key.openString(line.secrets, clientSecretsContext(client.clientId));
          if (opened === null) throw new ImportError(`the secrets of app client ${client.clientId} do not open`);
          secrets = JSON.parse(opened) as ClientSecretRecord[];
        }
        await tx.clients.create({ ...client, secrets });
        return;
      }
      case 'group':
        if (!(await tx.groups.create(line.group))) throw new ImportError(`group ${line.group.name} appears twice`);
        return;
      case 'resourceServer':
        if (!(await tx.resourceServers.create(line.server)))
          throw new ImportError(`resource server ${line.server.identifier} appears twice`);
        return;
      case 'domain':
        if (!(await tx.domains.create(line.domain))) {
          throw new ImportError(`domain ${line.domain.domain} is taken by another user pool (or the pool has one of its kind)`);
        }
        return;
      case 'identityProvider': {
        const { provider } = line;
        const opened = key.openString(line.details, providerDetailsContext(provider.poolId, provider.name));
        if (opened === null) throw new ImportError(`the details of identity provider ${provider.name} do not open`);
        const details = resealProviderDetails(provider, JSON.parse(opened) as Record<string, string>, key, master);
        if (!(await tx.identityProviders.create({ ...provider, details }))) {
          throw new ImportError(`identity provider ${provider.name} (or one of its identifiers) appears twice`);
        }
        return;
      }
      case 'user':
        this.users.push(resealUser(line.user, key, master));
        if (this.users.length >= USER_BATCH) await this.flushUsers();
        return;
      case 'membership':
        await tx.groups.addMember(line.poolId, line.group, line.usernameKey);
        return;
      case 'device':
        await tx.devices.insert(resealDevice(line.device, key, master));
        return;
      case 'passkey':
        if (!(await tx.webAuthnCredentials.insert(line.credential)))
          throw new ImportError(`passkey ${line.credential.credentialId} appears twice`);
        return;
      case 'linkedIdentity':
        if (!(await tx.linkedIdentities.link(line.link)))
          throw new ImportError(`a linked identity of ${line.link.providerName} appears twice`);
        return;
      case 'end':
        return;
    }
  }

  private async flushUsers(): Promise<void> {
    if (this.users.length === 0) return;
    const batch = this.users;
    this.users = [];
    const inserted = await this.tx.users.insertMany(batch);
    if (inserted !== batch.length) throw new ImportError(`a username appears twice in user pool ${batch[0]!.poolId}`);
  }
}

function sameCounts(a: ExportCounts, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k as ExportLineType] ?? 0) === (b[k] ?? 0));
}

/**
 * `cognate import`: loads an export file in one transaction, so a refused file (another key, a pool
 * that exists, a cut-off file, a domain or client ID taken) changes nothing. Secrets are opened with
 * the passphrase's key and sealed again under this server's master key. Returns the counts imported.
 */
export async function importPools(services: Services, options: ImportOptions): Promise<{ pools: string[]; counts: ExportCounts }> {
  const lines = createInterface({ input: createReadStream(options.file), crlfDelay: Infinity })[Symbol.asyncIterator]();
  try {
    const first = await lines.next();
    if (first.done === true) throw new ImportError('the file is empty');
    const header = checkHeader(parseLine(first.value, 1));
    const key = await openExportKey(options.passphrase, header.kdf as ExportKdf, header.keyCheck);
    const pools: string[] = [];
    const counts = await services.store.transaction(async (tx) => {
      const importer = new Importer(tx, key, services.sealer, options.replace === true);
      let at = 1;
      let ended = false;
      for (let next = await lines.next(); next.done !== true; next = await lines.next()) {
        at++;
        if (next.value.trim() === '') continue;
        if (ended) throw new ImportError(`line ${at}: a record after the end line`);
        const line = checkLine(parseLine(next.value, at), at, importer.poolId);
        try {
          await importer.write(line);
        } catch (error) {
          // A record the store refuses, or a secret that does not open, is the file's fault too.
          throw new ImportError(`line ${at}: ${(error as Error).message}`, { cause: error });
        }
        if (line.type === 'pool') pools.push(line.pool.id);
        if (line.type === 'end') {
          ended = true;
          if (!sameCounts(importer.counts, line.counts))
            throw new ImportError(`line ${at}: the end line's counts differ from the records read`);
        }
      }
      if (!ended) throw new ImportError('the file ends before its end line (cut off?)');
      return importer.counts;
    });
    return { pools, counts };
  } catch (error) {
    if (error instanceof ImportError) throw new ImportError(`${options.file}: ${error.message}; nothing was imported`);
    throw error;
  } finally {
    lines.return?.(undefined).catch(() => undefined);
  }
}
