/**
 * Writes docs/compatibility.md: every operation of every AWS service Cognate answers
 * (src/api/aws-services.ts: Cognito user pools, Cognito identity pools, STS, IAM), grouped by area, with
 * its auth mode (from the service's src/generated/<service>/operations.ts) and whether Cognate
 * implements it (from the service's registry in src/api/registry.ts).
 *
 * Run `npm run compat` after adding an operation; `test/docs/compatibility.test.ts` fails while the
 * committed page is stale, and fails when a model gains an operation no category below lists.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationName } from '../src/generated/cognito-idp/operations.js';
import type { OperationName as IdentityOperationName } from '../src/generated/cognito-identity/operations.js';
import type { OperationName as StsOperationName } from '../src/generated/sts/operations.js';
import type { OperationName as IamOperationName } from '../src/generated/iam/operations.js';
import type { OperationName as SyncOperationName } from '../src/generated/cognito-sync/operations.js';
import { cognitoIdentity, cognitoIdp, cognitoSync, iamService, stsService, type AwsService } from '../src/api/aws-services.js';
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

/** Cognito Identity's operations by area. */
export const IDENTITY_CATEGORIES: ReadonlyArray<{ title: string; operations: readonly IdentityOperationName[] }> = [
  {
    title: 'Identity pool management',
    operations: ['CreateIdentityPool', 'DescribeIdentityPool', 'UpdateIdentityPool', 'DeleteIdentityPool', 'ListIdentityPools'],
  },
  { title: 'Identities', operations: ['GetId', 'DescribeIdentity', 'ListIdentities', 'DeleteIdentities', 'UnlinkIdentity'] },
  {
    title: 'Credentials and OpenID tokens',
    operations: ['GetCredentialsForIdentity', 'GetOpenIdToken', 'GetOpenIdTokenForDeveloperIdentity'],
  },
  {
    title: 'Developer-authenticated identities',
    operations: ['LookupDeveloperIdentity', 'MergeDeveloperIdentities', 'UnlinkDeveloperIdentity'],
  },
  {
    title: 'Roles and principal tags',
    operations: ['SetIdentityPoolRoles', 'GetIdentityPoolRoles', 'SetPrincipalTagAttributeMap', 'GetPrincipalTagAttributeMap'],
  },
  { title: 'Identity pool tags', operations: ['TagResource', 'UntagResource', 'ListTagsForResource'] },
];

/** STS's operations by area. */
export const STS_CATEGORIES: ReadonlyArray<{ title: string; operations: readonly StsOperationName[] }> = [
  { title: 'Assuming roles', operations: ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'AssumeRoot'] },
  {
    title: 'Session and federation tokens',
    operations: ['GetSessionToken', 'GetFederationToken', 'GetWebIdentityToken', 'GetDelegatedAccessToken'],
  },
  { title: 'Caller and access key information', operations: ['GetCallerIdentity', 'GetAccessKeyInfo', 'DecodeAuthorizationMessage'] },
];

/** IAM's operations Cognate serves (tools/generate.ts generates only these of its 176), by area. */
export const IAM_CATEGORIES: ReadonlyArray<{ title: string; operations: readonly IamOperationName[] }> = [
  { title: 'Roles', operations: ['CreateRole', 'GetRole', 'UpdateAssumeRolePolicy', 'DeleteRole', 'ListRoles'] },
  { title: 'Inline role policies', operations: ['PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies'] },
  { title: 'Managed policies', operations: ['CreatePolicy', 'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies'] },
  { title: 'SAML providers (for identity pools)', operations: ['CreateSAMLProvider', 'GetSAMLProvider', 'DeleteSAMLProvider'] },
];

/** Cognito Sync's operations by area. */
export const SYNC_CATEGORIES: ReadonlyArray<{ title: string; operations: readonly SyncOperationName[] }> = [
  { title: 'Datasets and records', operations: ['ListDatasets', 'DescribeDataset', 'ListRecords', 'UpdateRecords', 'DeleteDataset'] },
  { title: 'Usage', operations: ['DescribeIdentityPoolUsage', 'ListIdentityPoolUsage', 'DescribeIdentityUsage'] },
  {
    title: 'Sync settings of identity pools',
    operations: ['GetCognitoEvents', 'SetCognitoEvents', 'GetIdentityPoolConfiguration', 'SetIdentityPoolConfiguration'],
  },
  { title: 'Push sync', operations: ['RegisterDevice', 'SubscribeToDataset', 'UnsubscribeFromDataset'] },
  { title: 'Bulk publish', operations: ['BulkPublish', 'GetBulkPublishDetails'] },
];

/** A service's section of the page: its descriptor, its categories and where AWS documents its operations. */
interface ServiceSection {
  readonly service: AwsService;
  readonly heading: string;
  readonly reference: string;
  readonly categories: ReadonlyArray<{ title: string; operations: readonly string[] }>;
  /** What a valid call of an operation Cognate lacks answers. */
  readonly notImplemented: string;
}

export const SECTIONS: readonly ServiceSection[] = [
  {
    service: cognitoIdp,
    heading: 'Cognito user pools',
    reference: 'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference',
    categories: CATEGORIES,
    notImplemented: '`UnsupportedOperationException`',
  },
  {
    service: cognitoIdentity,
    heading: 'Cognito identity pools',
    reference: 'https://docs.aws.amazon.com/cognitoidentity/latest/APIReference',
    categories: IDENTITY_CATEGORIES,
    notImplemented: '`UnsupportedOperationException`',
  },
  {
    service: cognitoSync,
    heading: 'Cognito Sync',
    reference: 'https://docs.aws.amazon.com/cognitosync/latest/APIReference',
    categories: SYNC_CATEGORIES,
    notImplemented: '`UnsupportedOperationException`',
  },
  {
    service: stsService,
    heading: 'AWS STS',
    reference: 'https://docs.aws.amazon.com/STS/latest/APIReference',
    categories: STS_CATEGORIES,
    notImplemented: "`UnsupportedOperation` in STS's XML error format",
  },
  {
    service: iamService,
    heading: 'AWS IAM (roles and policies)',
    reference: 'https://docs.aws.amazon.com/IAM/latest/APIReference',
    categories: IAM_CATEGORIES,
    notImplemented: "`UnsupportedOperation` in IAM's XML error format (IAM's other operations are `InvalidAction`)",
  },
];

/**
 * Checks that the categories list every modelled operation exactly once (and nothing else), so a
 * model update cannot silently drop an operation from the page.
 */
export function categoryProblems(): string[] {
  const problems: string[] = [];
  for (const { service, categories } of SECTIONS) {
    const seen = new Map<string, string>();
    for (const category of categories) {
      for (const name of category.operations) {
        if (!Object.hasOwn(service.operations, name)) problems.push(`${name} (in "${category.title}") is not in the ${service.id} model`);
        const earlier = seen.get(name);
        if (earlier !== undefined) problems.push(`${name} is listed in both "${earlier}" and "${category.title}"`);
        seen.set(name, category.title);
      }
    }
    for (const name of Object.keys(service.operations)) {
      if (!seen.has(name)) problems.push(`${name} is in the ${service.id} model but in no category of tools/compat.ts`);
    }
  }
  return problems;
}

/** How many of a service's operations Cognate implements, and how many there are. */
function tally(service: AwsService, names: readonly string[] = Object.keys(service.operations)): string {
  return `${names.filter((name) => service.implemented.has(name)).length} / ${names.length}`;
}

/** One service's section: its summary by area, then a table per area. */
function sectionLines({ service, heading, reference, categories }: ServiceSection): string[] {
  const names = Object.keys(service.operations);
  const done = names.filter((name) => service.implemented.has(name)).length;
  const publicOps = names.filter((name) => service.operations[name]!.auth === 'none').length;
  const routing =
    service.protocol === 'awsJson1_1'
      ? `\`X-Amz-Target: ${service.targetPrefix}.<Operation>\``
      : service.protocol === 'restJson1'
        ? 'restJson1, each operation by its method and path, such as `GET /identitypools/{IdentityPoolId}/identities/{IdentityId}/datasets`'
        : `awsQuery forms, \`Action=<Operation>&Version=${service.apiVersion}\``;
  const lines = [
    '',
    `## ${heading}`,
    '',
    `Cognate implements **${done} of the ${names.length}** operations of ${service.title}`,
    `(${routing}, SigV4 signing name \`${service.signingName}\`, model \`${service.model}\`);`,
    `${publicOps} of them are public.`,
    '',
    '| Area | Implemented |',
    '|---|---|',
  ];
  for (const category of categories)
    lines.push(`| [${category.title}](#${anchor(category.title)}) | ${tally(service, category.operations)} |`);
  lines.push(`| **Total** | **${tally(service)}** |`);
  for (const category of categories) {
    lines.push('', `### ${category.title}`, '', '| Operation | Auth | Status |', '|---|---|---|');
    for (const name of category.operations) {
      const auth = service.operations[name]!.auth === 'none' ? 'public' : 'SigV4';
      const status = service.implemented.has(name) ? 'implemented' : 'not yet';
      lines.push(`| [${name}](${reference}/API_${name}.html) | ${auth} | ${status} |`);
    }
  }
  return lines;
}

/** The page's full text. Deterministic: no dates, no environment. */
export function renderCompatibility(): string {
  const problems = categoryProblems();
  if (problems.length) throw new Error(`tools/compat.ts categories are out of date:\n- ${problems.join('\n- ')}`);

  const lines: string[] = [
    '# Compatibility with Amazon Cognito, AWS STS and IAM',
    '',
    '<!-- Generated by tools/compat.ts from src/api/aws-services.ts, src/api/registry.ts and src/generated/<service>/operations.ts. Do not edit by hand. -->',
    '',
    'Regenerate this page with `npm run compat` whenever an operation is added to `src/api/registry.ts`',
    '(`test/docs/compatibility.test.ts` fails while it is stale).',
    '',
    'Cognate answers these AWS services on one endpoint (`POST /`, and the paths of Cognito Sync), each found by its protocol:',
    '',
    '| Service | Protocol | Implemented |',
    '|---|---|---|',
  ];
  for (const section of SECTIONS) {
    lines.push(`| [${section.service.title}](#${anchor(section.heading)}) | ${section.service.protocol} | ${tally(section.service)} |`);
  }
  lines.push(
    '',
    '- **Auth**: `SigV4` operations must be signed with an access key Cognate knows (the admin key pair), scoped to',
    "  the service's signing name; `public` operations accept unsigned calls, as on AWS, and are authorized by",
    '  what they carry instead (a client ID, an access token, a session, an identity token).',
    '- **Status**: an operation marked *not yet* is still routed and validated against the model (bad input',
    "  gets the same error as on AWS); a valid call answers the service's own refusal naming the operation",
    `  (${SECTIONS.map((section) => `${section.notImplemented} for ${section.heading}`).join(', ')}), never a 500.`,
  );
  for (const section of SECTIONS) lines.push(...sectionLines(section));
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
