import type { Kysely } from 'kysely';
import type { Database, GroupRow, UserRow } from '../schema.js';
import type { GroupRecord, GroupStore, UserRecord } from '../ports.js';

function toRecord(row: GroupRow): GroupRecord {
  return {
    poolId: row.pool_id,
    name: row.name,
    description: row.description,
    roleArn: row.role_arn,
    precedence: row.precedence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class SqlGroupStore implements GroupStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly userFromRow: (row: UserRow) => UserRecord,
  ) {}

  async create(group: GroupRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('groups')
      .values({
        pool_id: group.poolId,
        name: group.name,
        description: group.description,
        role_arn: group.roleArn,
        precedence: group.precedence,
        created_at: group.createdAt,
        updated_at: group.updatedAt,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'name']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(poolId: string, name: string): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async update(group: GroupRecord): Promise<void> {
    await this.db
      .updateTable('groups')
      .set({ description: group.description, role_arn: group.roleArn, precedence: group.precedence, updated_at: group.updatedAt })
      .where('pool_id', '=', group.poolId)
      .where('name', '=', group.name)
      .execute();
  }

  async delete(poolId: string, name: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('pool_id', '=', poolId).where('group_name', '=', name).execute();
    await this.db.deleteFrom('groups').where('pool_id', '=', poolId).where('name', '=', name).execute();
  }

  async list(poolId: string, limit: number, after?: string): Promise<GroupRecord[]> {
    let query = this.db.selectFrom('groups').selectAll().where('pool_id', '=', poolId).orderBy('name').limit(limit);
    if (after !== undefined) query = query.where('name', '>', after);
    return (await query.execute()).map(toRecord);
  }

  async addMember(poolId: string, groupName: string, usernameKey: string): Promise<void> {
    await this.db
      .insertInto('group_members')
      .values({ pool_id: poolId, group_name: groupName, username_key: usernameKey })
      .onConflict((oc) => oc.columns(['pool_id', 'group_name', 'username_key']).doNothing())
      .execute();
  }

  async removeMember(poolId: string, groupName: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom('group_members')
      .where('pool_id', '=', poolId)
      .where('group_name', '=', groupName)
      .where('username_key', '=', usernameKey)
      .execute();
  }

  async groupsOf(poolId: string, usernameKey: string, limit = 1000, after?: string): Promise<GroupRecord[]> {
    let query = this.db
      .selectFrom('group_members')
      .innerJoin('groups', (join) =>
        join.onRef('groups.pool_id', '=', 'group_members.pool_id').onRef('groups.name', '=', 'group_members.group_name'),
      )
      .selectAll('groups')
      .where('group_members.pool_id', '=', poolId)
      .where('group_members.username_key', '=', usernameKey)
      // Ordered and paged on the membership's copy of the name, which the index
      // (pool_id, username_key, group_name) holds in order: on groups.name SQLite would walk all
      // of the pool's groups instead (migration 0009).
      .orderBy('group_members.group_name')
      .limit(limit);
    if (after !== undefined) query = query.where('group_members.group_name', '>', after);
    return (await query.execute()).map(toRecord);
  }

  async members(poolId: string, groupName: string, limit: number, after?: string): Promise<UserRecord[]> {
    let query = this.db
      .selectFrom('group_members')
      .innerJoin('users', (join) =>
        join.onRef('users.pool_id', '=', 'group_members.pool_id').onRef('users.username_key', '=', 'group_members.username_key'),
      )
      .selectAll('users')
      .where('group_members.pool_id', '=', poolId)
      .where('group_members.group_name', '=', groupName)
      .orderBy('users.username_key')
      .limit(limit);
    if (after !== undefined) query = query.where('users.username_key', '>', after);
    return (await query.execute()).map(this.userFromRow);
  }
}
