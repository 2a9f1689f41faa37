import type { OperationName } from '../generated/cognito-idp/operations.js';
import type { AnyOperation } from './define-operation.js';
import { poolsOperations } from './ops/pools/index.js';
import { clientsOperations } from './ops/clients/index.js';
import { adminusersOperations } from './ops/admin-users/index.js';
import { usersOperations } from './ops/users/index.js';
import { authOperations } from './ops/auth/index.js';
import { groupsOperations } from './ops/groups/index.js';
import { devicesOperations } from './ops/devices/index.js';
import { resourceServersOperations } from './ops/resource-servers/index.js';
import { domainsOperations } from './ops/domains/index.js';
import { identityProvidersOperations } from './ops/identity-providers/index.js';
import { uiCustomizationOperations } from './ops/ui-customization/index.js';
import { webAuthnOperations } from './ops/webauthn/index.js';
import { mfaOperations } from './ops/mfa/index.js';
import { threatProtectionOperations } from './ops/threat-protection/index.js';
import { userImportOperations } from './ops/user-import/index.js';

/**
 * The one list of implemented operations. Every modelled operation is routed by dispatch; the ones
 * missing here answer UnsupportedOperationException naming themselves.
 */
export const implemented: ReadonlyMap<OperationName, AnyOperation> = new Map(
  [
    ...poolsOperations,
    ...clientsOperations,
    ...adminusersOperations,
    ...usersOperations,
    ...authOperations,
    ...groupsOperations,
    ...devicesOperations,
    ...resourceServersOperations,
    ...domainsOperations,
    ...identityProvidersOperations,
    ...uiCustomizationOperations,
    ...webAuthnOperations,
    ...mfaOperations,
    ...threatProtectionOperations,
    ...userImportOperations,
  ].map((op) => [op.name, op]),
);
