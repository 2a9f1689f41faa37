import type { Kysely } from 'kysely';
import type { Database, IdentityRow } from '../schema.js';
import type { IdentityLogin, IdentityRecord, IdentityStore } from '../ports.js';
import { atomic } from './atomic.js';
import type { Reads } from './unchanged-reads.js';

/** Thrown inside `create`'s transaction to undo it when a login is taken. */
class LoginTakenError extends Error {}

/** Links a login to an identity unless the pool has it linked already; whether it was inserted. */
async function insertLogin(
  db: Kysely<Database>,
  identity: Pick<IdentityRecord, 'id' | 'identityPoolId'>,
  login: IdentityLogin,
): Promise<boolean> {
  const result = await db
    .insertInto('identity_logins')
    .values({
      identity_pool_id: identity.identityPoolId,
      provider_name: login.providerName,
      subject: login.subject,
      identity_id: identity.id,
    })
    .onConflict((oc) => oc.columns(['identity_pool_id', 'provider_name', 'subject']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The ID of the identity of the pool that has the login linked. */
async function ownerOf(db: Kysely<Database>, identityPoolId: string, login: IdentityLogin): Promise<string | undefined> {
  const row = await db
    .selectFrom('identity_logins')
    .select('identity_id')
    .where('identity_pool_id', '=', identityPoolId)
    .where('provider_name', '=', login.providerName)
    .where('subject', '=', login.subject)
    .executeTakeFirst();
  return row?.identity_id;
}

export class SqlIdentityStore implements IdentityStore {
  constructor(
    private readonly db: Kysely<Database>,
    /** Outside transactions on SQLite: `get` reused while the database is unchanged (the gateway's and Sync's every request). */
    private readonly reads: Reads,
  ) {}

  /** The records of `rows`, each with its logins (one query for all of them). */
  private async withLogins(rows: IdentityRow[]): Promise<IdentityRecord[]> {
    if (rows.length === 0) return [];
    const logins = await this.db
      .selectFrom('identity_logins')
      .select(['identity_id', 'provider_name', 'subject'])
      .where(
        'identity_id',
        'in',
        rows.map((row) => row.id),
      )
      .orderBy('provider_name')
      .orderBy('subject')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      identityPoolId: row.identity_pool_id,
      logins: logins
        .filter((login) => login.identity_id === row.id)
        .map((login) => ({ providerName: login.provider_name, subject: login.subject })),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    }));
  }

  async create(identity: IdentityRecord): Promise<boolean> {
    try {
      await atomic(this.db, async (db) => {
        await db
          .insertInto('identities')
          .values({
            id: identity.id,
            identity_pool_id: identity.identityPoolId,
            created_at: identity.createdAt,
            updated_at: identity.updatedAt,
          })
          .execute();
        for (const login of identity.logins) {
          if (!(await insertLogin(db, identity, login))) throw new LoginTakenError();
        }
      });
      return true;
    } catch (error) {
      if (error instanceof LoginTakenError) return false;
      throw error;
    }
  }

  get(id: string): Promise<IdentityRecord | undefined> {
    return this.reads.read(`identity\0${id}`, async () => {
      const row = await this.db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
      return row && (await this.withLogins([row]))[0];
    });
  }

  async findByLogin(identityPoolId: string, login: IdentityLogin): Promise<IdentityRecord | undefined> {
    const owner = await ownerOf(this.db, identityPoolId, login);
    return owner === undefined ? undefined : this.get(owner);
  }

  async list(identityPoolId: string, limit: number, after?: string): Promise<IdentityRecord[]> {
    let query = this.db.selectFrom('identities').selectAll().where('identity_pool_id', '=', identityPoolId).orderBy('id').limit(limit);
    if (after !== undefined) query = query.where('id', '>', after);
    return this.withLogins(await query.execute());
  }

  async link(identity: Pick<IdentityRecord, 'id' | 'identityPoolId'>, login: IdentityLogin, at: number): Promise<boolean> {
    return atomic(this.db, async (db) => {
      await insertLogin(db, identity, login);
      if ((await ownerOf(db, identity.identityPoolId, login)) !== identity.id) return false;
      await db.updateTable('identities').set({ updated_at: at }).where('id', '=', identity.id).execute();
      return true;
    });
  }

  async unlink(id: string, login: IdentityLogin, at: number): Promise<boolean> {
    return atomic(this.db, async (db) => {
      const result = await db
        .deleteFrom('identity_logins')
        .where('identity_id', '=', id)
        .where('provider_name', '=', login.providerName)
        .where('subject', '=', login.subject)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) return false;
      await db.updateTable('identities').set({ updated_at: at }).where('id', '=', id).execute();
      return true;
    });
  }

  async merge(sourceId: string, destinationId: string, at: number): Promise<void> {
    await atomic(this.db, async (db) => {
      await db.updateTable('identity_logins').set({ identity_id: destinationId }).where('identity_id', '=', sourceId).execute();
      await db.deleteFrom('identities').where('id', '=', sourceId).execute();
      await db.updateTable('identities').set({ updated_at: at }).where('id', '=', destinationId).execute();
    });
  }

  async delete(id: string): Promise<boolean> {
    return atomic(this.db, async (db) => {
      await db.deleteFrom('identity_logins').where('identity_id', '=', id).execute();
      const result = await db.deleteFrom('identities').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async deleteForPool(identityPoolId: string): Promise<void> {
    await atomic(this.db, async (db) => {
      await db.deleteFrom('identity_logins').where('identity_pool_id', '=', identityPoolId).execute();
      await db.deleteFrom('identities').where('identity_pool_id', '=', identityPoolId).execute();
    });
  }
}
