/**
 * Writes docs/compatibility.md: every Cognito user-pool operation of the model, grouped by area,
 * with its auth mode (from src/generated/cognito-idp/operations.ts) and whether Cognate implements
 * it (from src/api/registry.ts).
 *
 * Run `npm run compat` after adding an operation; `test/docs/compatibility.test.ts` fails while the
 * committed page is stale, and fails when the model gains an operation no category below lists.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operations, type OperationName } from '../src/generated/cognito-idp/operations.js';
import { implemented } from '../src/api/registry.js';
import { TRIGGER_SOURCES } from '../src/triggers/sources.js';

/**
 * The model's operations by area, in the order of the reference (shared/reference/cognito-api.md
 * §3.1). Operations only botocore has (not the Smithy model) are marked there with †; they are
 * ordinary rows here.
 */
export const CATEGORIES: ReadonlyArray<{ title: string; operations: readonly OperationName[] }> = [
  {
    title: 'User pool management',
    operations: [
      'CreateUserPool',
      'DescribeUserPool',
      'UpdateUserPool',
      'DeleteUserPool',
      'ListUserPools',
      'AddCustomAttributes',
      'GetSigningCertificate',
    ],
  },
  {
    title: 'User pool replicas (multi-Region)',
    operations: ['CreateUserPoolReplica', 'DeleteUserPoolReplica', 'ListUserPoolReplicas', 'UpdateUserPoolReplica'],
  },
  { title: 'Provisioned rate limits', operations: ['GetProvisionedLimit', 'UpdateProvisionedLimit'] },
  {
    title: 'App clients and client secrets',
    operations: [
      'CreateUserPoolClient',
      'DescribeUserPoolClient',
      'UpdateUserPoolClient',
      'DeleteUserPoolClient',
      'ListUserPoolClients',
      'AddUserPoolClientSecret',
      'DeleteUserPoolClientSecret',
      'ListUserPoolClientSecrets',
    ],
  },
  {
    title: 'Users, administrative',
    operations: [
      'AdminCreateUser',
      'AdminGetUser',
      'AdminDeleteUser',
      'AdminEnableUser',
      'AdminDisableUser',
      'AdminUpdateUserAttributes',
      'AdminDeleteUserAttributes',
      'AdminConfirmSignUp',
      'AdminResetUserPassword',
      'AdminSetUserPassword',
      'AdminUserGlobalSignOut',
      'AdminLinkProviderForUser',
      'AdminDisableProviderForUser',
      'AdminGetUserAuthFactors',
      'ListUsers',
    ],
  },
  {
    title: 'Sign-up, confirmation and account recovery',
    operations: ['SignUp', 'ConfirmSignUp', 'ResendConfirmationCode', 'ForgotPassword', 'ConfirmForgotPassword'],
  },
  {
    title: 'User self-service (access token)',
    operations: [
      'GetUser',
      'UpdateUserAttributes',
      'DeleteUserAttributes',
      'DeleteUser',
      'ChangePassword',
      'GetUserAttributeVerificationCode',
      'VerifyUserAttribute',
      'GlobalSignOut',
      'GetUserAuthFactors',
    ],
  },
  {
    title: 'Authentication flows and tokens',
    operations: [
      'InitiateAuth',
      'RespondToAuthChallenge',
      'AdminInitiateAuth',
      'AdminRespondToAuthChallenge',
      'GetTokensFromRefreshToken',
      'RevokeToken',
    ],
  },
  {
    title: 'MFA',
    operations: [
      'AssociateSoftwareToken',
      'VerifySoftwareToken',
      'SetUserMFAPreference',
      'AdminSetUserMFAPreference',
      'SetUserSettings',
      'AdminSetUserSettings',
      'GetUserPoolMfaConfig',
      'SetUserPoolMfaConfig',
    ],
  },
  {
    title: 'Devices',
    operations: [
      'ConfirmDevice',
      'GetDevice',
      'ListDevices',
      'ForgetDevice',
      'UpdateDeviceStatus',
      'AdminGetDevice',
      'AdminListDevices',
      'AdminForgetDevice',
      'AdminUpdateDeviceStatus',
    ],
  },
  {
    title: 'WebAuthn / passkeys',
    operations: ['StartWebAuthnRegistration', 'CompleteWebAuthnRegistration', 'ListWebAuthnCredentials', 'DeleteWebAuthnCredential'],
  },
  {
    title: 'Groups',
    operations: [
      'CreateGroup',
      'GetGroup',
      'UpdateGroup',
      'DeleteGroup',
      'ListGroups',
      'AdminAddUserToGroup',
      'AdminRemoveUserFromGroup',
      'AdminListGroupsForUser',
      'ListUsersInGroup',
    ],
  },
  {
    title: 'Resource servers',
    operations: ['CreateResourceServer', 'DescribeResourceServer', 'UpdateResourceServer', 'DeleteResourceServer', 'ListResourceServers'],
  },
  { title: 'Domains', operations: ['CreateUserPoolDomain', 'DescribeUserPoolDomain', 'UpdateUserPoolDomain', 'DeleteUserPoolDomain'] },
  {
    title: 'Identity providers',
    operations: [
      'CreateIdentityProvider',
      'DescribeIdentityProvider',
      'UpdateIdentityProvider',
      'DeleteIdentityProvider',
      'ListIdentityProviders',
      'GetIdentityProviderByIdentifier',
    ],
  },
  {
    title: 'User import jobs',
    operations: [
      'CreateUserImportJob',
      'DescribeUserImportJob',
      'ListUserImportJobs',
      'StartUserImportJob',
      'StopUserImportJob',
      'GetCSVHeader',
    ],
  },
  {
    title: 'Classic hosted-UI customization and managed-login branding',
    operations: [
      'GetUICustomization',
      'SetUICustomization',
      'CreateManagedLoginBranding',
      'DescribeManagedLoginBranding',
      'DescribeManagedLoginBrandingByClient',
      'UpdateManagedLoginBranding',
      'DeleteManagedLoginBranding',
    ],
  },
  { title: 'Terms documents', operations: ['CreateTerms', 'DescribeTerms', 'UpdateTerms', 'DeleteTerms', 'ListTerms'] },
  {
    title: 'Threat protection',
    operations: [
      'DescribeRiskConfiguration',
      'SetRiskConfiguration',
      'AdminListUserAuthEvents',
      'AdminUpdateAuthEventFeedback',
      'UpdateAuthEventFeedback',
    ],
  },
  { title: 'Log delivery', operations: ['GetLogDeliveryConfiguration', 'SetLogDeliveryConfiguration'] },
  { title: 'Tags', operations: ['TagResource', 'UntagResource', 'ListTagsForResource'] },
];

const API_REFERENCE = 'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference';

/**
 * Checks that the categories list every modelled operation exactly once (and nothing else), so a
 * model update cannot silently drop an operation from the page.
 */
export function categoryProblems(): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const category of CATEGORIES) {
    for (const name of category.operations) {
      if (!Object.hasOwn(operations, name)) problems.push(`${name} (in "${category.title}") is not in the model`);
      const earlier = seen.get(name);
      if (earlier !== undefined) problems.push(`${name} is listed in both "${earlier}" and "${category.title}"`);
      seen.set(name, category.title);
    }
  }
  for (const name of Object.keys(operations)) {
    if (!seen.has(name)) problems.push(`${name} is in the model but in no category of tools/compat.ts`);
  }
  return problems;
}

/** The page's full text. Deterministic: no dates, no environment. */
export function renderCompatibility(): string {
  const problems = categoryProblems();
  if (problems.length) throw new Error(`tools/compat.ts categories are out of date:\n- ${problems.join('\n- ')}`);

  const names = Object.keys(operations) as OperationName[];
  const done = names.filter((name) => implemented.has(name)).length;
  const publicOps = names.filter((name) => operations[name].auth === 'none').length;
  const lines: string[] = [
    '# Compatibility with Amazon Cognito user pools',
    '',
    '<!-- Generated by tools/compat.ts from src/api/registry.ts and src/generated/cognito-idp/operations.ts. Do not edit by hand. -->',
    '',
    'Regenerate this page with `npm run compat` whenever an operation is added to `src/api/registry.ts`',
    '(`test/docs/compatibility.test.ts` fails while it is stale).',
    '',
    `Cognate implements **${done} of the ${names.length}** operations of the Cognito user-pool API`,
    '(`AWSCognitoIdentityProviderService`, model `spec/botocore/cognito-idp.service-2.json`).',
    '',
    '- **Auth**: `SigV4` operations must be signed with an access key Cognate knows (the admin key pair);',
    `  \`public\` operations (${publicOps} of them) accept unsigned calls, as on AWS, and are authorized by a`,
    '  client ID, an access token or a session instead.',
    '- **Status**: an operation marked *not yet* is still routed and validated against the model (bad input',
    '  gets the same `InvalidParameterException` as on AWS); a valid call answers `UnsupportedOperationException`',
    '  naming the operation, never a 500.',
    '',
    '| Area | Implemented |',
    '|---|---|',
  ];
  for (const category of CATEGORIES) {
    const count = category.operations.filter((name) => implemented.has(name)).length;
    lines.push(`| [${category.title}](#${anchor(category.title)}) | ${count} / ${category.operations.length} |`);
  }
  lines.push(`| **Total** | **${done} / ${names.length}** |`);
  for (const category of CATEGORIES) {
    lines.push('', `## ${category.title}`, '', '| Operation | Auth | Status |', '|---|---|---|');
    for (const name of category.operations) {
      const auth = operations[name].auth === 'none' ? 'public' : 'SigV4';
      const status = implemented.has(name) ? 'implemented' : 'not yet';
      lines.push(`| [${name}](${API_REFERENCE}/API_${name}.html) | ${auth} | ${status} |`);
    }
  }
  lines.push(...triggerLines());
  return lines.join('\n') + '\n';
}

const TRIGGER_GUIDE = 'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html';

/** The Lambda trigger table: every trigger source of Cognito, fired or not, with the test that shows it. */
function triggerLines(): string[] {
  const all = TRIGGER_SOURCES.flatMap((t) => t.sources);
  const fired = all.filter((s) => s.provenBy !== undefined).length;
  const lines = [
    '',
    '## Lambda triggers',
    '',
    `Cognate fires **${fired} of the ${all.length}** [trigger sources](${TRIGGER_GUIDE}) of Cognito's user-pool`,
    "triggers, with Cognito's event, from the pool's `LambdaConfig` (see the README's *Lambda triggers* section",
    'for where the functions run). Each fired source names the test that shows it (from `src/triggers/sources.ts`).',
    '',
    '| Trigger | Source | Status | Shown by |',
    '|---|---|---|---|',
  ];
  for (const trigger of TRIGGER_SOURCES) {
    for (const entry of trigger.sources) {
      const status = entry.provenBy !== undefined ? 'fired' : 'not yet';
      const note = entry.note !== undefined ? ` (${entry.note})` : '';
      lines.push(
        `| ${trigger.title} | \`${entry.source}\` | ${status}${note} | ${entry.provenBy !== undefined ? `\`${entry.provenBy}\`` : ''} |`,
      );
    }
  }
  return lines;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

export const COMPATIBILITY_PATH = join('docs', 'compatibility.md');

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(join(root, COMPATIBILITY_PATH), renderCompatibility());
  console.log(`wrote ${COMPATIBILITY_PATH}`);
}
