import type { Kysely } from 'kysely';
import type { Database, IdentityProviderRow, LinkedIdentityRow } from '../schema.js';
import type { IdentityProviderRecord, IdentityProviderStore, LinkedIdentityRecord, LinkedIdentityStore } from '../ports.js';
import type { Sealer } from '../../crypto/sealing.js';
import { atomic } from './atomic.js';

/**
 * Thrown by `update` when another provider of the pool took one of the new IdpIdentifiers between
 * the caller's check and the write; nothing is saved.
 */
export class IdpIdentifierTakenError extends Error {
  constructor(readonly identifier: string) {
    super(`identifier ${identifier} is taken`);
    this.name = 'IdpIdentifierTakenError';
  }
}

export class SqlIdentityProviderStore implements IdentityProviderStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly sealer: Sealer,
  ) {}

  /** Sealed details are bound to their pool and provider, so a copied value fails to open. */
  private context(poolId: string, name: string): string {
    return `identity-provider:${poolId}:${name}`;
  }

  private toRecord(row: IdentityProviderRow): IdentityProviderRecord {
    const details = this.sealer.openString(row.details, this.context(row.pool_id, row.name));
    if (details === null) throw new Error(`identity provider ${row.name}: details fail to open (wrong master key?)`);
    return {
      poolId: row.pool_id,
      name: row.name,
      type: row.type as IdentityProviderRecord['type'],
      details: JSON.parse(details) as Record<string, string>,
      attributeMapping: JSON.parse(row.attribute_mapping) as Record<string, string>,
      idpIdentifiers: JSON.parse(row.idp_identifiers) as string[],
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    };
  }

  /** Inserts the provider's identifiers; returns how many were free (a taken one is skipped). */
  private async insertIdentifiers(db: Kysely<Database>, poolId: string, name: string, identifiers: readonly string[]): Promise<number> {
    if (identifiers.length === 0) return 0;
    const result = await db
      .insertInto('identity_provider_identifiers')
      .values(identifiers.map((identifier) => ({ pool_id: poolId, identifier, provider_name: name })))
      .onConflict((oc) => oc.columns(['pool_id', 'identifier']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async create(provider: IdentityProviderRecord): Promise<boolean> {
    const identifiers = [...new Set(provider.idpIdentifiers)];
    return atomic(this.db, async (db) => {
      const inserted = await db
        .insertInto('identity_providers')
        .values({
          pool_id: provider.poolId,
          name: provider.name,
          type: provider.type,
          details: this.sealer.seal(JSON.stringify(provider.details), this.context(provider.poolId, provider.name)),
          attribute_mapping: JSON.stringify(provider.attributeMapping),
          idp_identifiers: JSON.stringify(provider.idpIdentifiers),
          created_at: provider.createdAt,
          updated_at: provider.updatedAt,
        })
        .onConflict((oc) => oc.columns(['pool_id', 'name']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      if ((await this.insertIdentifiers(db, provider.poolId, provider.name, identifiers)) < identifiers.length) {
        // Undo by hand rather than by rolling back, so a caller's enclosing transaction stays usable.
        await this.deleteRows(db, provider.poolId, provider.name);
        return false;
      }
      return true;
    });
  }

  async get(poolId: string, name: string): Promise<IdentityProviderRecord | undefined> {
    const row = await this.db
      .selectFrom('identity_providers')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && this.toRecord(row);
  }

  async getByIdentifier(poolId: string, identifier: string): Promise<IdentityProviderRecord | undefined> {
    const row = await this.db
      .selectFrom('identity_provider_identifiers as i')
      .innerJoin('identity_providers as p', (join) => join.onRef('p.pool_id', '=', 'i.pool_id').onRef('p.name', '=', 'i.provider_name'))
      .selectAll('p')
      .where('i.pool_id', '=', poolId)
      .where('i.identifier', '=', identifier)
      .executeTakeFirst();
    return row && this.toRecord(row);
  }

  /**
   * Saves details, mapping and identifiers. Throws IdpIdentifierTakenError (and saves nothing) when
   * another provider holds one of the identifiers.
   */
  async update(provider: IdentityProviderRecord): Promise<boolean> {
    const identifiers = [...new Set(provider.idpIdentifiers)];
    return atomic(this.db, async (db) => {
      const updated = await db
        .updateTable('identity_providers')
        .set({
          details: this.sealer.seal(JSON.stringify(provider.details), this.context(provider.poolId, provider.name)),
          attribute_mapping: JSON.stringify(provider.attributeMapping),
          idp_identifiers: JSON.stringify(provider.idpIdentifiers),
          updated_at: provider.updatedAt,
        })
        .where('pool_id', '=', provider.poolId)
        .where('name', '=', provider.name)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await db
        .deleteFrom('identity_provider_identifiers')
        .where('pool_id', '=', provider.poolId)
        .where('provider_name', '=', provider.name)
        .execute();
      if ((await this.insertIdentifiers(db, provider.poolId, provider.name, identifiers)) < identifiers.length) {
        const taken = await db
          .selectFrom('identity_provider_identifiers')
          .select('identifier')
          .where('pool_id', '=', provider.poolId)
          .where('identifier', 'in', identifiers)
          .where('provider_name', '<>', provider.name)
          .executeTakeFirst();
        throw new IdpIdentifierTakenError(taken?.identifier ?? identifiers[0]!);
      }
      return true;
    });
  }

  private async deleteRows(db: Kysely<Database>, poolId: string, name: string): Promise<boolean> {
    await db.deleteFrom('identity_provider_identifiers').where('pool_id', '=', poolId).where('provider_name', '=', name).execute();
    const result = await db.deleteFrom('identity_providers').where('pool_id', '=', poolId).where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async delete(poolId: string, name: string): Promise<boolean> {
    return atomic(this.db, (db) => this.deleteRows(db, poolId, name));
  }

  async list(poolId: string, limit: number, after?: string): Promise<IdentityProviderRecord[]> {
    let query = this.db.selectFrom('identity_providers').selectAll().where('pool_id', '=', poolId).orderBy('name').limit(limit);
    if (after !== undefined) query = query.where('name', '>', after);
    return (await query.execute()).map((row) => this.toRecord(row));
  }
}

function toLink(row: LinkedIdentityRow): LinkedIdentityRecord {
  return {
    poolId: row.pool_id,
    providerName: row.provider_name,
    attributeName: row.attribute_name,
    attributeValue: row.attribute_value,
    usernameKey: row.username_key,
    createdAt: Number(row.created_at),
  };
}

export class SqlLinkedIdentityStore implements LinkedIdentityStore {
  constructor(private readonly db: Kysely<Database>) {}

  async link(link: LinkedIdentityRecord): Promise<boolean> {
    const result = await this.db
      .insertInto('linked_identities')
      .values({
        pool_id: link.poolId,
        provider_name: link.providerName,
        attribute_name: link.attributeName,
        attribute_value: link.attributeValue,
        username_key: link.usernameKey,
        created_at: link.createdAt,
      })
      .onConflict((oc) => oc.columns(['pool_id', 'provider_name', 'attribute_name', 'attribute_value']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async find(
    poolId: string,
    providerName: string,
    attributeName: string,
    attributeValue: string,
  ): Promise<LinkedIdentityRecord | undefined> {
    const row = await this.db
      .selectFrom('linked_identities')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('attribute_name', '=', attributeName)
      .where('attribute_value', '=', attributeValue)
      .executeTakeFirst();
    return row && toLink(row);
  }

  async attributeNames(poolId: string, providerName: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('linked_identities')
      .select('attribute_name')
      .distinct()
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .orderBy('attribute_name')
      .execute();
    return rows.map((row) => row.attribute_name);
  }

  async listForUser(poolId: string, usernameKey: string): Promise<LinkedIdentityRecord[]> {
    const rows = await this.db
      .selectFrom('linked_identities')
      .selectAll()
      .where('pool_id', '=', poolId)
      .where('username_key', '=', usernameKey)
      .orderBy('created_at')
      .orderBy('provider_name')
      .orderBy('attribute_value')
      .execute();
    return rows.map(toLink);
  }

  async unlink(poolId: string, providerName: string, attributeName: string, attributeValue: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('linked_identities')
      .where('pool_id', '=', poolId)
      .where('provider_name', '=', providerName)
      .where('attribute_name', '=', attributeName)
      .where('attribute_value', '=', attributeValue)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db.deleteFrom('linked_identities').where('pool_id', '=', poolId).where('username_key', '=', usernameKey).execute();
  }
}
