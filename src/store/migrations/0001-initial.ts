import type { Kysely } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';

/** The first schema: pools, clients, users, groups, codes, refresh tokens, keys, inbox, counters. */
export const initial = {
  async up(db: Kysely<unknown>, d: DialectCapabilities): Promise<void> {
    await db.schema
      .createTable('user_pools')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('user_pool_clients')
      .addColumn('client_id', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('config', 'text', (c) => c.notNull())
      .addColumn('secrets', 'text')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('user_pool_clients_pool').on('user_pool_clients').columns(['pool_id', 'client_id']).execute();

    await db.schema
      .createTable('users')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('sub', d.keyType, (c) => c.notNull())
      .addColumn('status', d.keyType, (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('attributes', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text')
      .addColumn('password_changed_at', d.timeType)
      .addColumn('email_key', d.keyType)
      .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('phone_number', d.keyType)
      .addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('preferred_username_key', d.keyType)
      .addColumn('name_key', d.keyType)
      .addColumn('given_name_key', d.keyType)
      .addColumn('family_name_key', d.keyType)
      .addColumn('tokens_valid_after', d.timeType, (c) => c.notNull().defaultTo(0))
      .addColumn('extra', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('users_pk', ['pool_id', 'username_key'])
      .execute();
    await db.schema.createIndex('users_sub').unique().on('users').columns(['pool_id', 'sub']).execute();
    // Every searchable attribute gets an index that serves `=`, `^=` and keyset pages in key order.
    for (const column of [
      'email_key',
      'phone_number',
      'preferred_username_key',
      'name_key',
      'given_name_key',
      'family_name_key',
      'status',
    ]) {
      await db.schema.createIndex(`users_${column}`).on('users').columns(['pool_id', column, 'username_key']).execute();
    }

    await db.schema
      .createTable('groups')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('name', d.keyType, (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('role_arn', 'text')
      .addColumn('precedence', 'integer')
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .addColumn('updated_at', d.timeType, (c) => c.notNull())
      .addPrimaryKeyConstraint('groups_pk', ['pool_id', 'name'])
      .execute();

    await db.schema
      .createTable('group_members')
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('group_name', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['pool_id', 'group_name', 'username_key'])
      .execute();
    await db.schema.createIndex('group_members_user').on('group_members').columns(['pool_id', 'username_key']).execute();

    await db.schema
      .createTable('codes')
      .addColumn('id', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('purpose', d.keyType, (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('expires_at', d.timeType, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('codes_user').on('codes').columns(['pool_id', 'username_key', 'purpose']).execute();

    await db.schema
      .createTable('refresh_tokens')
      .addColumn('token_hash', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('client_id', d.keyType, (c) => c.notNull())
      .addColumn('username_key', d.keyType, (c) => c.notNull())
      .addColumn('origin_jti', d.keyType, (c) => c.notNull())
      .addColumn('auth_time', d.timeType, (c) => c.notNull())
      .addColumn('device_key', 'text')
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('expires_at', d.timeType, (c) => c.notNull())
      .addColumn('revoked_at', d.timeType)
      .addColumn('replaced_at', d.timeType)
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refresh_tokens_origin').on('refresh_tokens').columns(['origin_jti']).execute();
    await db.schema.createIndex('refresh_tokens_user').on('refresh_tokens').columns(['pool_id', 'username_key']).execute();

    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', d.keyType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('signing_keys_pool').on('signing_keys').columns(['pool_id', 'purpose']).execute();

    await db.schema
      .createTable('inbox')
      .addColumn('id', d.serialType, (c) => c.primaryKey())
      .addColumn('pool_id', d.keyType, (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('medium', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('code', 'text')
      .addColumn('subject', 'text')
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timeType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('inbox_pool').on('inbox').columns(['pool_id', 'id']).execute();

    await db.schema
      .createTable('rate_counters')
      .addColumn('key', d.keyType, (c) => c.primaryKey())
      .addColumn('window_start', d.timeType, (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', d.keyType, (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'settings',
      'rate_counters',
      'inbox',
      'signing_keys',
      'refresh_tokens',
      'codes',
      'group_members',
      'groups',
      'users',
      'user_pool_clients',
      'user_pools',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
