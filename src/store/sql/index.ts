import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Store } from '../ports.js';
import type { OpenDatabase } from '../database.js';
import type { Sealer } from '../../crypto/sealing.js';
import { SqlPoolStore, type PoolConfigMemo } from './pools.js';
import { SqlClientStore, type ClientRecordMemo } from './clients.js';
import { RowMemo } from './row-memo.js';
import { SqlUserStore } from './users.js';
import { SqlGroupStore } from './groups.js';
import { SqlCodeStore } from './codes.js';
import { SqlRefreshTokenStore } from './refresh-tokens.js';
import { SqlInboxStore, SqlRateCounterStore, SqlSettingStore, SqlSigningKeyStore } from './misc.js';
import { SqlDeviceStore } from './devices.js';
import { SqlDomainStore } from './domains.js';
import { SqlResourceServerStore } from './resource-servers.js';
import { SqlAuthorizationCodeStore } from './authorization-codes.js';
import { SqlUiCustomizationStore } from './ui-customizations.js';
import { SqlIdentityProviderStore, SqlLinkedIdentityStore } from './identity-providers.js';

/** Records rebuilt from rows, shared by a store and the stores of its transactions. */
interface Memos {
  pools: PoolConfigMemo;
  clients: ClientRecordMemo;
}

function bind(db: Kysely<Database>, sealer: Sealer, memos: Memos, open: OpenDatabase | undefined): Store {
  const users = new SqlUserStore(db);
  const store: Store = {
    pools: new SqlPoolStore(db, memos.pools),
    clients: new SqlClientStore(db, sealer, memos.clients),
    users,
    groups: new SqlGroupStore(db, (row) => users.fromRow(row)),
    codes: new SqlCodeStore(db),
    refreshTokens: new SqlRefreshTokenStore(db),
    signingKeys: new SqlSigningKeyStore(db, sealer),
    inbox: new SqlInboxStore(db),
    rateCounters: new SqlRateCounterStore(db),
    settings: new SqlSettingStore(db),
    devices: new SqlDeviceStore(db),
    domains: new SqlDomainStore(db),
    resourceServers: new SqlResourceServerStore(db),
    authorizationCodes: new SqlAuthorizationCodeStore(db),
    uiCustomizations: new SqlUiCustomizationStore(db),
    identityProviders: new SqlIdentityProviderStore(db, sealer),
    linkedIdentities: new SqlLinkedIdentityStore(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(bind(trx, sealer, memos, undefined))),
    close: async () => {
      await open?.close();
    },
  };
  return store;
}

/** The SQL store over an open database (SQLite or PostgreSQL); secrets sealed with `sealer`. */
export function createSqlStore(open: OpenDatabase, sealer: Sealer): Store {
  return bind(open.db, sealer, { pools: new RowMemo(), clients: new RowMemo() }, open);
}
