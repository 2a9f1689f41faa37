import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { Store } from '../ports.js';
import type { OpenDatabase } from '../database.js';
import type { DialectCapabilities } from '../dialects/index.js';
import type { Sealer } from '../../crypto/sealing.js';
import { SqlPoolStore, type PoolConfigMemo } from './pools.js';
import { SqlClientStore, type ClientRecordMemo } from './clients.js';
import { RowMemo } from './row-memo.js';
import { READ_EVERY_TIME, UnchangedReads, type Reads } from './unchanged-reads.js';
import { SqlUserStore } from './users.js';
import { SqlGroupStore } from './groups.js';
import { SqlCodeStore } from './codes.js';
import { SqlRefreshTokenStore } from './refresh-tokens.js';
import { SqlInboxStore, SqlRateCounterStore, SqlSettingStore, SqlSigningKeyStore } from './misc.js';
import { SqlDeviceStore } from './devices.js';
import { SqlWebAuthnCredentialStore } from './webauthn-credentials.js';
import { SqlAuditEventStore } from './audit-events.js';
import { SqlTriggerInvocationStore } from './trigger-invocations.js';
import { SqlDomainStore } from './domains.js';
import { SqlResourceServerStore } from './resource-servers.js';
import { SqlAuthorizationCodeStore } from './authorization-codes.js';
import { SqlUiCustomizationStore } from './ui-customizations.js';
import { SqlManagedLoginBrandingStore } from './managed-login-brandings.js';
import { SqlRiskConfigurationStore } from './risk-configurations.js';
import { SqlIdentityProviderStore, SqlLinkedIdentityStore } from './identity-providers.js';
import { SqlIdentityPoolStore } from './identity-pools.js';
import { SqlIamStore } from './iam.js';
import { SqlUserImportJobStore } from './user-import-jobs.js';
import { SqlIdentityStore } from './identities.js';
import { SqlPrincipalTagMapStore } from './principal-tag-maps.js';
import { SqlGatewayApiStore } from './gateway-apis.js';
import { SqlStsSessionStore } from './sts-sessions.js';
import { SqlTermsStore } from './terms.js';
import { SqlLogDeliveryConfigurationStore } from './log-delivery-configurations.js';
import { SqlUserPoolReplicaStore } from './user-pool-replicas.js';
import { SqlSyncStore } from './sync.js';

/** Records rebuilt from rows, shared by a store and the stores of its transactions. */
interface Memos {
  pools: PoolConfigMemo;
  clients: ClientRecordMemo;
}

/**
 * How the store's hot reads run: `announced` for the tables whose every change the database
 * announces (pools, clients, resource servers, gateway APIs, IAM), `any` for other records, which
 * only SQLite can tell unchanged.
 */
interface StoreReads {
  announced: Reads;
  any: Reads;
}

const EVERY_READ_RUNS: StoreReads = { announced: READ_EVERY_TIME, any: READ_EVERY_TIME };

/**
 * A store over `db`. `open` is given for the store outside transactions only, and `reads` are
 * UnchangedReads only there: a transaction's store neither closes the database nor shares reads.
 */
function bind(
  db: Kysely<Database>,
  dialect: DialectCapabilities,
  sealer: Sealer,
  memos: Memos,
  open: OpenDatabase | undefined,
  reads: StoreReads,
): Store {
  const users = new SqlUserStore(db, dialect);
  const store: Store = {
    pools: new SqlPoolStore(db, memos.pools, reads.announced),
    clients: new SqlClientStore(db, sealer, memos.clients, reads.announced),
    users,
    groups: new SqlGroupStore(db, (row) => users.fromRow(row)),
    codes: new SqlCodeStore(db),
    refreshTokens: new SqlRefreshTokenStore(db),
    signingKeys: new SqlSigningKeyStore(db, sealer),
    inbox: new SqlInboxStore(db, sealer),
    auditEvents: new SqlAuditEventStore(db),
    triggerInvocations: new SqlTriggerInvocationStore(db),
    rateCounters: new SqlRateCounterStore(db),
    settings: new SqlSettingStore(db),
    devices: new SqlDeviceStore(db),
    webAuthnCredentials: new SqlWebAuthnCredentialStore(db),
    domains: new SqlDomainStore(db),
    resourceServers: new SqlResourceServerStore(db, reads.announced),
    authorizationCodes: new SqlAuthorizationCodeStore(db),
    uiCustomizations: new SqlUiCustomizationStore(db),
    managedLoginBrandings: new SqlManagedLoginBrandingStore(db),
    riskConfigurations: new SqlRiskConfigurationStore(db),
    identityProviders: new SqlIdentityProviderStore(db, sealer),
    linkedIdentities: new SqlLinkedIdentityStore(db),
    identityPools: new SqlIdentityPoolStore(db),
    userImportJobs: new SqlUserImportJobStore(db, sealer),
    identities: new SqlIdentityStore(db, reads.any),
    principalTagMaps: new SqlPrincipalTagMapStore(db),
    stsSessions: new SqlStsSessionStore(db, sealer, reads.any),
    gatewayApis: new SqlGatewayApiStore(db, reads.announced),
    terms: new SqlTermsStore(db),
    logDeliveryConfigurations: new SqlLogDeliveryConfigurationStore(db),
    userPoolReplicas: new SqlUserPoolReplicaStore(db),
    iam: new SqlIamStore(db, reads.announced),
    sync: new SqlSyncStore(db),
    // A transaction's store joins its own transaction, as atomic() does: what runs inside a
    // transaction (cognate apply runs whole operations in one) commits or rolls back with it.
    transaction: (fn) =>
      db.isTransaction ? fn(store) : db.transaction().execute((trx) => fn(bind(trx, dialect, sealer, memos, undefined, EVERY_READ_RUNS))),
    close: async () => {
      await open?.close();
    },
  };
  return store;
}

/** The SQL store over an open database (SQLite or PostgreSQL); secrets sealed with `sealer`. */
export function createSqlStore(open: OpenDatabase, sealer: Sealer): Store {
  // SQLite can tell cheaply that no row at all changed; both engines tell when a few tables changed.
  const any = open.changeStamp ? new UnchangedReads(open.changeStamp) : READ_EVERY_TIME;
  const announced = open.announcedChangeStamp ? new UnchangedReads(open.announcedChangeStamp) : any;
  return bind(open.db, open.dialect, sealer, { pools: new RowMemo(), clients: new RowMemo() }, open, { announced, any });
}
