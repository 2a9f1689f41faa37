import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { PrincipalTagMapRecord, PrincipalTagMapStore } from '../ports.js';

export class SqlPrincipalTagMapStore implements PrincipalTagMapStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(identityPoolId: string, providerName: string): Promise<PrincipalTagMapRecord | undefined> {
    const row = await this.db
      .selectFrom('principal_tag_maps')
      .selectAll()
      .where('identity_pool_id', '=', identityPoolId)
      .where('provider_name', '=', providerName)
      .executeTakeFirst();
    return (
      row && {
        identityPoolId: row.identity_pool_id,
        providerName: row.provider_name,
        useDefaults: Number(row.use_defaults) === 1,
        principalTags: JSON.parse(row.principal_tags) as Record<string, string>,
      }
    );
  }

  async put(map: PrincipalTagMapRecord): Promise<void> {
    const values = { use_defaults: map.useDefaults ? 1 : 0, principal_tags: JSON.stringify(map.principalTags) };
    await this.db
      .insertInto('principal_tag_maps')
      .values({ identity_pool_id: map.identityPoolId, provider_name: map.providerName, ...values })
      .onConflict((oc) => oc.columns(['identity_pool_id', 'provider_name']).doUpdateSet(values))
      .execute();
  }

  async deleteForPool(identityPoolId: string): Promise<void> {
    await this.db.deleteFrom('principal_tag_maps').where('identity_pool_id', '=', identityPoolId).execute();
  }
}
