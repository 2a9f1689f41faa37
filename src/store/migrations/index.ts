import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { DialectCapabilities } from '../dialects/index.js';
import { initial } from './0001-initial.js';
import { devices } from './0002-devices.js';
import { usersEnabledIndex } from './0003-users-enabled-index.js';
import { resourceServers } from './0004-resource-servers.js';
import { domains } from './0005-domains.js';
import { authorizationCodes } from './0006-authorization-codes.js';
import { identityProviders } from './0007-identity-providers.js';
import { uiCustomizations } from './0008-ui-customizations.js';
import { groupMembersByUser } from './0009-group-members-by-user.js';
import { sealedInbox } from './0010-sealed-inbox.js';
import { auditEvents } from './0011-audit-events.js';
import { triggerInvocations } from './0012-trigger-invocations.js';
import { threatProtection } from './0014-threat-protection.js';
import { webAuthnCredentials } from './0015-webauthn-credentials.js';
import { identityPools } from './0016-identity-pools.js';
import { userImportJobs } from './0017-user-import-jobs.js';
import { identities } from './0018-identities.js';
import { credentials } from './0019-credentials.js';
import { principalTagMaps } from './0020-principal-tag-maps.js';
import { iam } from './0021-iam.js';
import { poolOperations } from './0022-pool-operations.js';
import { managedLoginBrandings } from './0023-managed-login-brandings.js';
import { cognitoSync } from './0024-cognito-sync.js';
import { gatewayApis } from './0025-gateway-apis.js';
import { identityCredentials } from './0026-identity-credentials.js';
import { changeNotifications } from './0027-change-notifications.js';
import { userImportFiles } from './0028-user-import-files.js';
import { usersPartialAttributeIndexes } from './0029-users-partial-attribute-indexes.js';

interface CognateMigration {
  up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void>;
  down(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void>;
}

/** Every migration in order. Add new ones at the end; never edit one that has shipped. */
const MIGRATIONS: ReadonlyArray<[string, CognateMigration]> = [
  ['0001-initial', initial],
  ['0002-devices', devices],
  ['0003-users-enabled-index', usersEnabledIndex],
  ['0004-resource-servers', resourceServers],
  ['0005-domains', domains],
  ['0006-authorization-codes', authorizationCodes],
  ['0007-identity-providers', identityProviders],
  ['0008-ui-customizations', uiCustomizations],
  ['0009-group-members-by-user', groupMembersByUser],
  ['0010-sealed-inbox', sealedInbox],
  ['0011-audit-events', auditEvents],
  ['0012-trigger-invocations', triggerInvocations],
  ['0014-threat-protection', threatProtection],
  ['0015-webauthn-credentials', webAuthnCredentials],
  ['0016-identity-pools', identityPools],
  ['0017-user-import-jobs', userImportJobs],
  ['0018-identities', identities],
  ['0019-credentials', credentials],
  ['0020-principal-tag-maps', principalTagMaps],
  ['0021-iam', iam],
  ['0022-pool-operations', poolOperations],
  ['0023-managed-login-brandings', managedLoginBrandings],
  ['0024-cognito-sync', cognitoSync],
  ['0025-gateway-apis', gatewayApis],
  ['0026-identity-credentials', identityCredentials],
  ['0027-change-notifications', changeNotifications],
  ['0028-user-import-files', userImportFiles],
  ['0029-users-partial-attribute-indexes', usersPartialAttributeIndexes],
];

/** Kysely's migration provider over the static list, with the dialect's capabilities bound in. */
export function migrationProvider(dialect: DialectCapabilities): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      const out: Record<string, Migration> = {};
      for (const [name, m] of MIGRATIONS) {
        out[name] = { up: (db) => m.up(db, dialect), down: (db) => m.down(db, dialect) };
      }
      return out;
    },
  };
}
