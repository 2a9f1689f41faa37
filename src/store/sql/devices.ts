import type { Kysely } from 'kysely';
import type { Database, DeviceRow } from '../schema.js';
import type { DeviceFilter, DeviceRecord, DeviceStatus, DeviceStore } from '../ports.js';

function toRow(device: DeviceRecord): DeviceRow {
  return {
    pool_id: device.poolId,
    device_key: device.deviceKey,
    username_key: device.usernameKey,
    device_group_key: device.deviceGroupKey,
    status: device.status,
    remembered_status: device.rememberedStatus,
    name: device.name,
    last_ip_used: device.lastIpUsed,
    verifier: device.sealedVerifier,
    created_at: device.createdAt,
    last_modified_at: device.lastModifiedAt,
    last_authenticated_at: device.lastAuthenticatedAt,
  };
}

function toRecord(row: DeviceRow): DeviceRecord {
  return {
    poolId: row.pool_id,
    usernameKey: row.username_key,
    deviceKey: row.device_key,
    deviceGroupKey: row.device_group_key,
    status: row.status as DeviceRecord['status'],
    rememberedStatus: row.remembered_status as DeviceRecord['rememberedStatus'],
    name: row.name,
    lastIpUsed: row.last_ip_used,
    sealedVerifier: row.verifier,
    createdAt: row.created_at,
    lastModifiedAt: row.last_modified_at,
    lastAuthenticatedAt: row.last_authenticated_at,
  };
}

export class SqlDeviceStore implements DeviceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(device: DeviceRecord): Promise<void> {
    await this.db.insertInto('devices').values(toRow(device)).execute();
  }

  async get(poolId: string, deviceKey: string): Promise<DeviceRecord | undefined> {
    const row = await this.db
      .selectFrom('devices')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('device_key', '=', deviceKey)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Keyset pages over the `(pool_id, username_key, device_key)` index. */
  async listForUser(
    poolId: string,
    usernameKey: string,
    limit: number,
    after?: string,
    filter: DeviceFilter = {},
  ): Promise<DeviceRecord[]> {
    let query = this.db.selectFrom('devices').selectAll().where('pool_id', '=', poolId).where('username_key', '=', usernameKey);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.rememberedStatus !== undefined) query = query.where('remembered_status', '=', filter.rememberedStatus);
    if (after !== undefined) query = query.where('device_key', '>', after);
    return (await query.orderBy('device_key').limit(limit).execute()).map(toRecord);
  }

  async update(device: DeviceRecord, expectedStatus?: DeviceStatus): Promise<boolean> {
    const { pool_id, device_key, username_key, created_at, ...rest } = toRow(device);
    void username_key;
    void created_at;
    let query = this.db.updateTable('devices').set(rest).where('pool_id', '=', pool_id).where('device_key', '=', device_key);
    if (expectedStatus !== undefined) query = query.where('status', '=', expectedStatus);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(poolId: string, deviceKey: string): Promise<void> {
    await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('device_key', '=', deviceKey).execute();
  }

  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('devices').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }

  async deleteUnconfirmedBefore(poolId: string, usernameKey: string, before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('devices')
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .where('status', '=', 'unconfirmed')
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
