import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateSoftwareTokenCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolCommand,
  GetUserPoolMfaConfigCommand,
  InitiateAuthCommand,
  ListTagsForResourceCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolCommand,
  VerifySoftwareTokenCommand,
  type CreateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { captureError, serverForTests, type TestServer } from '../support/server.js';
import { totpAt } from '../support/totp.js';
import { createConfirmedUser } from '../oauth/helpers.js';

/*
 * A pool managed as Terraform's aws_cognito_user_pool resource manages it (terraform-provider-aws,
 * internal/service/cognitoidp/user_pool.go), through the AWS SDK v3: create is CreateUserPool
 * without MFA and then SetUserPoolMfaConfig with the MFA mode and the software-token factor; read
 * is DescribeUserPool and GetUserPoolMfaConfig; update is UpdateUserPool with every configured
 * argument, MfaConfiguration among them; delete is DeleteUserPool, and a read after it takes
 * ResourceNotFoundException as "gone". The assertions are on the fields the provider's read sets
 * into its state (it dereferences Policies, CreationDate and LastModifiedDate unguarded). Then a
 * user of the pool enrols an authenticator app and signs in with it.
 */

let server: TestServer;
const clock = serverForTests((started) => (server = started));

const PASSWORD = 'Tf-Managed-Passw0rd!';

/** What the provider sends for a resource block with these arguments (mfa_configuration aside). */
const CREATE: CreateUserPoolCommandInput = {
  PoolName: 'terraform-pool',
  UserPoolTags: { env: 'test', managed_by: 'terraform' },
  AutoVerifiedAttributes: ['email'],
  UsernameAttributes: ['email'],
  Policies: {
    PasswordPolicy: {
      MinimumLength: 12,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: false,
      RequireUppercase: true,
      TemporaryPasswordValidityDays: 7,
    },
  },
  AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
  AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
  VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
};

/** The provider's read: DescribeUserPool, then GetUserPoolMfaConfig. */
async function read(poolId: string): Promise<{ pool: UserPoolType; mfa: Record<string, unknown> }> {
  const pool = (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
  const { $metadata: _metadata, ...mfa } = await server.admin.send(new GetUserPoolMfaConfigCommand({ UserPoolId: poolId }));
  return { pool, mfa };
}

/** The fields of the read that the state holds and a plan compares. */
function assertState(pool: UserPoolType, passwordPolicy: NonNullable<CreateUserPoolCommandInput['Policies']>['PasswordPolicy']): void {
  assert.equal(pool.Arn, `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
  assert.ok(pool.CreationDate instanceof Date && pool.LastModifiedDate instanceof Date, 'dates the provider formats');
  assert.equal(pool.Name, 'terraform-pool');
  assert.deepEqual(pool.Policies, { PasswordPolicy: passwordPolicy, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } });
  assert.deepEqual(pool.AutoVerifiedAttributes, ['email']);
  assert.deepEqual(pool.UsernameAttributes, ['email']);
  assert.deepEqual(pool.AccountRecoverySetting, CREATE.AccountRecoverySetting);
  assert.deepEqual(pool.AdminCreateUserConfig, { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 });
  assert.equal(pool.DeletionProtection, 'INACTIVE');
  assert.equal(pool.VerificationMessageTemplate?.DefaultEmailOption, 'CONFIRM_WITH_CODE');
  assert.equal(pool.EstimatedNumberOfUsers, 0);
  assert.deepEqual(pool.UserPoolTags, CREATE.UserPoolTags);
  assert.equal(pool.MfaConfiguration, 'OPTIONAL');
}

test('create, read, update, read, tags and delete as terraform-provider-aws does, MFA OPTIONAL with TOTP throughout', async () => {
  // CreateUserPool has MfaConfiguration but no SoftwareTokenMfaConfiguration, so OPTIONAL in one
  // call needs an SMS configuration: the provider creates first and sets MFA after.
  const oneCall = await captureError(() => server.admin.send(new CreateUserPoolCommand({ ...CREATE, MfaConfiguration: 'OPTIONAL' })));
  assert.deepEqual(
    [oneCall.name, oneCall.message],
    ['InvalidParameterException', 'SMS configuration and Auto verification for phone_number are required when MFA is required/optional'],
  );

  const created = (await server.admin.send(new CreateUserPoolCommand(CREATE))).UserPool!;
  const poolId = created.Id!;
  assert.equal(created.MfaConfiguration, 'OFF');
  const set = await server.admin.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: poolId,
      MfaConfiguration: 'OPTIONAL',
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  assert.deepEqual([set.MfaConfiguration, set.SoftwareTokenMfaConfiguration], ['OPTIONAL', { Enabled: true }]);

  const first = await read(poolId);
  assertState(first.pool, CREATE.Policies!.PasswordPolicy);
  assert.deepEqual(first.mfa, { MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } });

  // A changed password_policy: UpdateUserPool with every argument the configuration sets,
  // mfa_configuration included (tags go through TagResource, so UserPoolTags is left out).
  const { PoolName: _name, UserPoolTags: _tags, UsernameAttributes: _usernames, ...settable } = CREATE;
  const longer = { ...CREATE.Policies!.PasswordPolicy, MinimumLength: 14 };
  await server.admin.send(
    new UpdateUserPoolCommand({ UserPoolId: poolId, ...settable, Policies: { PasswordPolicy: longer }, MfaConfiguration: 'OPTIONAL' }),
  );
  const second = await read(poolId);
  assertState(second.pool, longer);
  assert.deepEqual(second.mfa, first.mfa, 'the update kept MFA and its factor');
  assert.ok(second.pool.LastModifiedDate!.getTime() >= first.pool.LastModifiedDate!.getTime());

  // Tags as the provider's transparent tagging lists them.
  const tags = await server.admin.send(new ListTagsForResourceCommand({ ResourceArn: first.pool.Arn }));
  assert.deepEqual(tags.Tags, CREATE.UserPoolTags);

  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
  const gone = await captureError(() => read(poolId));
  assert.deepEqual([gone.name, gone.message], ['ResourceNotFoundException', `User pool ${poolId} does not exist.`]);
});

test('a user of the Terraform-made pool enrols an authenticator app and signs in with SOFTWARE_TOKEN_MFA', async () => {
  const poolId = (await server.admin.send(new CreateUserPoolCommand(CREATE))).UserPool!.Id!;
  await server.admin.send(
    new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } }),
  );
  const client = await server.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  const email = 'tess@example.com';
  await createConfirmedUser(server, poolId, email, PASSWORD, { email, email_verified: 'true' });
  const signIn = () =>
    server.anonymous.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: email, PASSWORD } }),
    );

  // OPTIONAL and not enrolled: the password alone signs in; the app enrols the authenticator.
  const accessToken = (await signIn()).AuthenticationResult!.AccessToken!;
  const { SecretCode: secret } = await server.anonymous.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  assert.match(secret!, /^[A-Z2-7]{32,}$/, 'a base32 secret for the QR code');
  const verified = await server.anonymous.send(
    new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpAt(secret!, clock.now()), FriendlyDeviceName: 'Phone' }),
  );
  assert.equal(verified.Status, 'SUCCESS');
  await server.anonymous.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );
  clock.advance(30_000);

  const challenge = await signIn();
  assert.deepEqual([challenge.ChallengeName, challenge.ChallengeParameters], ['SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: 'Phone' }]);
  const done = await server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totpAt(secret!, clock.now()) },
    }),
  );
  assert.ok(done.AuthenticationResult?.AccessToken, 'signed in with the authenticator code');
  assert.equal(done.ChallengeName, undefined);
});
