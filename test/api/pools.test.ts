import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPublicKey } from 'node:crypto';
import {
  AddCustomAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetSigningCertificateCommand,
  ListTagsForResourceCommand,
  ListUserPoolsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
  type CreateUserPoolCommandInput,
  type UserPoolType,
} from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, captureError, type TestServer } from '../support/server.js';
import { FrozenClock } from '../../src/lib/clock.js';

// Frozen near the real time: SigV4 checks the request date against the server's clock.
const clock = FrozenClock.atNow();
let server: TestServer;
before(async () => {
  server = await startTestServer({}, { clock });
});
after(() => server.stop());

const SMS = { SnsCallerArn: 'arn:aws:iam::123456789012:role/sms', ExternalId: 'external' };

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}): Promise<UserPoolType> {
  const created = await server.admin.send(new CreateUserPoolCommand({ PoolName: 'pools', ...input }));
  return created.UserPool!;
}

async function describe(poolId: string): Promise<UserPoolType> {
  return (await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool!;
}

function arnOf(poolId: string): string {
  return `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`;
}

async function expectError(fn: () => Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

test('a pool created with only a name shows Cognito defaults', async () => {
  const pool = await createPool({ PoolName: 'defaults' });
  const { Id, SchemaAttributes, CreationDate, LastModifiedDate, ...rest } = pool;
  assert.match(Id!, /^us-east-1_[0-9A-Za-z]{9}$/);
  assert.ok(CreationDate instanceof Date && LastModifiedDate instanceof Date);
  assert.equal(CreationDate.getTime(), clock.now());
  assert.equal(SchemaAttributes!.length, 20);
  assert.deepEqual(SchemaAttributes![0], {
    Name: 'sub',
    AttributeDataType: 'String',
    DeveloperOnlyAttribute: false,
    Mutable: false,
    Required: true,
    StringAttributeConstraints: { MinLength: '1', MaxLength: '2048' },
  });
  assert.deepEqual(rest, {
    Name: 'defaults',
    Policies: {
      PasswordPolicy: {
        MinimumLength: 8,
        RequireUppercase: true,
        RequireLowercase: true,
        RequireNumbers: true,
        RequireSymbols: true,
        TemporaryPasswordValidityDays: 7,
      },
      SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] },
    },
    DeletionProtection: 'INACTIVE',
    LambdaConfig: {},
    VerificationMessageTemplate: { DefaultEmailOption: 'CONFIRM_WITH_CODE' },
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: [] },
    MfaConfiguration: 'OFF',
    EstimatedNumberOfUsers: 0,
    EmailConfiguration: { EmailSendingAccount: 'COGNITO_DEFAULT' },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: false, UnusedAccountValidityDays: 7 },
    UserPoolTier: 'ESSENTIALS',
    Arn: arnOf(Id!),
  });
  assert.deepEqual(await describe(Id!), pool);
});

test('CreateUserPool keeps what it is given and fills the members Cognito derives', async () => {
  const pool = await createPool({
    UsernameAttributes: ['email'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email', 'phone_number'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
    SmsConfiguration: SMS,
    Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true } },
    AdminCreateUserConfig: { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3 },
    EmailVerificationMessage: 'Code: {####}',
    LambdaConfig: { PreTokenGeneration: 'arn:aws:lambda:us-east-1:123456789012:function:pre' },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    UserPoolTags: { team: 'identity' },
    DeletionProtection: 'ACTIVE',
  });
  assert.deepEqual(pool.UsernameAttributes, ['email']);
  assert.deepEqual(pool.UsernameConfiguration, { CaseSensitive: false });
  assert.deepEqual(pool.SmsConfiguration, { ...SMS, SnsRegion: 'us-east-1' });
  assert.deepEqual(pool.Policies!.PasswordPolicy, {
    MinimumLength: 12,
    RequireUppercase: false,
    RequireLowercase: false,
    RequireNumbers: true,
    RequireSymbols: false,
    TemporaryPasswordValidityDays: 3,
  });
  assert.deepEqual(pool.AdminCreateUserConfig, { AllowAdminCreateUserOnly: true, UnusedAccountValidityDays: 3 });
  assert.deepEqual(pool.VerificationMessageTemplate, { DefaultEmailOption: 'CONFIRM_WITH_CODE', EmailMessage: 'Code: {####}' });
  assert.equal(pool.EmailVerificationMessage, 'Code: {####}');
  assert.deepEqual(pool.LambdaConfig, {
    PreTokenGeneration: 'arn:aws:lambda:us-east-1:123456789012:function:pre',
    PreTokenGenerationConfig: { LambdaArn: 'arn:aws:lambda:us-east-1:123456789012:function:pre', LambdaVersion: 'V1_0' },
  });
  assert.deepEqual(pool.UserPoolTags, { team: 'identity' });
  assert.equal(pool.DeletionProtection, 'ACTIVE');
});

test('CreateUserPool refuses settings Cognito refuses, with its messages', async () => {
  await expectError(
    () => createPool({ AliasAttributes: ['email'], UsernameAttributes: ['email'] }),
    'InvalidParameterException',
    'Only one of the aliasAttributes or usernameAttributes can be set in a User pool.',
  );
  await expectError(
    () => createPool({ AutoVerifiedAttributes: ['address' as 'email'] }),
    'InvalidParameterException',
    /^1 validation error detected: Value '\[address\]' at 'autoVerifiedAttributes' failed to satisfy constraint: .*enum value set: \[phone_number, email\]/,
  );
  await expectError(
    () => createPool({ AutoVerifiedAttributes: ['phone_number'] }),
    'InvalidParameterException',
    'SMS configuration is required when phone_number is selected for auto verification',
  );
  await expectError(
    () => createPool({ UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] } }),
    'InvalidParameterException',
    'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
  );
  await expectError(
    () => createPool({ MfaConfiguration: 'ON' }),
    'InvalidParameterException',
    'SMS configuration and Auto verification for phone_number are required when MFA is required/optional',
  );
  await expectError(
    () =>
      createPool({
        Policies: { PasswordPolicy: { TemporaryPasswordValidityDays: 3 } },
        AdminCreateUserConfig: { UnusedAccountValidityDays: 3 },
      }),
    'InvalidParameterException',
    'Please use TemporaryPasswordValidityDays in PasswordPolicy instead of UnusedAccountValidityDays',
  );
  await expectError(
    () => createPool({ Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['EMAIL_OTP'] } } }),
    'InvalidParameterException',
    'Password should be configured as one of the allowed first auth factors.',
  );
  await expectError(
    () => createPool({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' } }),
    'InvalidParameterException',
    'Source ARN is required to use DEVELOPER email sending owner',
  );
  await expectError(
    () => createPool({ Schema: [{ Name: 'tier', AttributeDataType: 'String', Required: true }] }),
    'InvalidParameterException',
    'Required custom attributes are not supported currently.',
  );
});

test('UpdateUserPool replaces the settable configuration and keeps the rest', async () => {
  const pool = await createPool({
    PoolName: 'before',
    AliasAttributes: ['email', 'preferred_username'],
    AutoVerifiedAttributes: ['email'],
    SmsConfiguration: SMS,
    Policies: { PasswordPolicy: { MinimumLength: 20 } },
    UserPoolTags: { team: 'identity' },
    DeletionProtection: 'ACTIVE',
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
    Schema: [{ Name: 'tier', AttributeDataType: 'String' }],
  });
  // Moved forward for this test only: later tests (and SigV4) see the time as it was.
  await clock.travel(2000, async () => {
    await server.admin.send(
      new UpdateUserPoolCommand({
        UserPoolId: pool.Id,
        LambdaConfig: { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:signup' },
      }),
    );
    const updated = await describe(pool.Id!);
    assert.equal(updated.Name, 'before');
    assert.deepEqual(updated.LambdaConfig, { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:signup' });
    assert.deepEqual(updated.Policies!.PasswordPolicy, pool.Policies!.PasswordPolicy, 'policies left out are kept');
    assert.equal(updated.Policies!.PasswordPolicy!.MinimumLength, 20);
    assert.equal(updated.MfaConfiguration, 'OFF');
    assert.equal(updated.DeletionProtection, 'INACTIVE');
    assert.equal(updated.AutoVerifiedAttributes, undefined);
    assert.equal(updated.SmsConfiguration, undefined);
    assert.equal(updated.DeviceConfiguration, undefined);
    assert.deepEqual(updated.UserPoolTags, { team: 'identity' }, 'tags are labels, kept (Terraform updates without them)');
    assert.deepEqual(updated.AliasAttributes, ['email', 'preferred_username']);
    assert.deepEqual(updated.SchemaAttributes, pool.SchemaAttributes);
    assert.equal(updated.CreationDate!.getTime(), pool.CreationDate!.getTime());
    assert.equal(updated.LastModifiedDate!.getTime(), pool.LastModifiedDate!.getTime() + 2000);

    await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, PoolName: 'after', UserPoolTier: 'PLUS' }));
    const renamed = await describe(pool.Id!);
    assert.equal(renamed.Name, 'after');
    assert.equal(renamed.UserPoolTier, 'PLUS');
    assert.deepEqual(renamed.LambdaConfig, {});
  });
});

test('UpdateUserPool keeps each policy it is not given: PasswordPolicy and SignInPolicy apart', async () => {
  const signIn = { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] as ('PASSWORD' | 'EMAIL_OTP')[] };
  const pool = await createPool({ Policies: { PasswordPolicy: { MinimumLength: 12, RequireNumbers: true }, SignInPolicy: signIn } });
  const created = pool.Policies!;
  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
  assert.deepEqual((await describe(pool.Id!)).Policies, created, 'Policies left out: both kept');

  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, Policies: { PasswordPolicy: { MinimumLength: 14 } } }));
  const passwordOnly = (await describe(pool.Id!)).Policies!;
  assert.equal(passwordOnly.PasswordPolicy!.MinimumLength, 14);
  assert.equal(passwordOnly.PasswordPolicy!.RequireNumbers, false, 'a given PasswordPolicy replaces the old one whole');
  assert.deepEqual(passwordOnly.SignInPolicy, signIn, 'SignInPolicy kept');

  await server.admin.send(
    new UpdateUserPoolCommand({ UserPoolId: pool.Id, Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD'] } } }),
  );
  const signInOnly = (await describe(pool.Id!)).Policies!;
  assert.deepEqual(signInOnly.SignInPolicy, { AllowedFirstAuthFactors: ['PASSWORD'] });
  assert.deepEqual(signInOnly.PasswordPolicy, passwordOnly.PasswordPolicy, 'PasswordPolicy kept');
});

test('UpdateUserPool keeps UserAttributeUpdateSettings it is not given, as Cognito does', async () => {
  const pool = await createPool({
    AutoVerifiedAttributes: ['email'],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
  });
  // The AutoVerifiedAttributes reset no longer cover the retained requirement.
  await expectError(
    () => server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' })),
    'InvalidParameterException',
    'All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes',
  );
  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF' }));
  assert.deepEqual((await describe(pool.Id!)).UserAttributeUpdateSettings, { AttributesRequireVerificationBeforeUpdate: ['email'] });
  await expectError(
    () => server.admin.send(new UpdateUserPoolCommand({ UserPoolId: 'us-east-1_missing00' })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

test('DeleteUserPool honours deletion protection and removes everything in the pool', async () => {
  const pool = await createPool({ DeletionProtection: 'ACTIVE' });
  const client = await server.admin.send(new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: 'app' }));
  const protectedError = await captureError(() => server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })));
  assert.equal(protectedError.name, 'InvalidParameterException');
  assert.equal(
    protectedError.message,
    'The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.',
  );
  assert.equal(protectedError.$metadata?.httpStatusCode, 400);

  await server.admin.send(new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: 'INACTIVE' }));
  await server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
  await expectError(() => describe(pool.Id!), 'ResourceNotFoundException', `User pool ${pool.Id} does not exist.`);
  assert.equal(await server.services.store.clients.getById(client.UserPoolClient!.ClientId!), undefined);
  assert.deepEqual(await server.services.store.signingKeys.list(pool.Id!), []);
  await expectError(
    () => server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: client.UserPoolClient!.ClientId })),
    'ResourceNotFoundException',
    `User pool ${pool.Id} does not exist.`,
  );
  await expectError(
    () => server.admin.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })),
    'ResourceNotFoundException',
    `User pool ${pool.Id} does not exist.`,
  );
});

test('ListUserPools pages through every pool with NextToken', async () => {
  const created = new Set<string>();
  for (let i = 0; i < 3; i++)
    created.add(
      (await createPool({ PoolName: `listed-${i}`, LambdaConfig: { PreSignUp: `arn:aws:lambda:us-east-1:123456789012:function:f${i}` } }))
        .Id!,
    );
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 2, ...(token ? { NextToken: token } : {}) }));
    assert.ok(page.UserPools!.length <= 2);
    for (const pool of page.UserPools!) {
      assert.deepEqual(Object.keys(pool).sort(), ['CreationDate', 'Id', 'LambdaConfig', 'LastModifiedDate', 'Name']);
      assert.ok(pool.CreationDate instanceof Date);
      seen.push(pool.Id!);
    }
    token = page.NextToken;
    pages++;
  } while (token);
  assert.ok(pages >= 2);
  assert.equal(new Set(seen).size, seen.length, 'no pool is listed twice');
  for (const id of created) assert.ok(seen.includes(id));
  const listed = (await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools!.find((p) => p.Id === [...created][0]);
  assert.deepEqual(listed!.LambdaConfig, { PreSignUp: 'arn:aws:lambda:us-east-1:123456789012:function:f0' });

  await expectError(
    () => server.admin.send(new ListUserPoolsCommand({ MaxResults: 61 })),
    'InvalidParameterException',
    "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
  );
  await expectError(
    () => server.admin.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: 'not-a-token!' })),
    'InvalidParameterException',
    /^Paging marker not-a-token! is invalid for request /,
  );
});

test('AddCustomAttributes extends the schema', async () => {
  const pool = await createPool();
  await server.admin.send(
    new AddCustomAttributesCommand({
      UserPoolId: pool.Id,
      CustomAttributes: [{ Name: 'tier', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MaxLength: '16' } }],
    }),
  );
  const schema = (await describe(pool.Id!)).SchemaAttributes!;
  assert.equal(schema.length, 21);
  assert.deepEqual(schema[20], {
    Name: 'custom:tier',
    AttributeDataType: 'String',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    StringAttributeConstraints: { MaxLength: '16' },
  });
  await expectError(
    () =>
      server.admin.send(
        new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: [{ Name: 'tier', AttributeDataType: 'Number' }] }),
      ),
    'InvalidParameterException',
    'custom:tier: Existing attribute already has name custom:tier.',
  );
  await expectError(
    () =>
      server.admin.send(
        new AddCustomAttributesCommand({
          UserPoolId: 'us-east-1_missing00',
          CustomAttributes: [{ Name: 'x', AttributeDataType: 'String' }],
        }),
      ),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

test('GetSigningCertificate returns a stable self-signed certificate of the ID-token key', async () => {
  const pool = await createPool();
  const first = await server.admin.send(new GetSigningCertificateCommand({ UserPoolId: pool.Id }));
  assert.match(first.Certificate!, /^[A-Za-z0-9+/]+=*$/, 'the PEM body, without header lines');
  const certificate = new X509Certificate(Buffer.from(first.Certificate!, 'base64'));
  assert.equal(certificate.subject, `CN=${pool.Id}`);
  assert.equal(certificate.issuer, certificate.subject);
  assert.ok(certificate.verify(certificate.publicKey), 'self-signed');
  const years = (Date.parse(certificate.validTo) - Date.parse(certificate.validFrom)) / (365.25 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1);

  const idKey = (await server.services.store.signingKeys.list(pool.Id!)).find((k) => k.purpose === 'id')!;
  const expected = createPublicKey(idKey.privateKey).export({ format: 'jwk' });
  assert.equal(certificate.publicKey.export({ format: 'jwk' }).n, expected.n);

  const again = await server.admin.send(new GetSigningCertificateCommand({ UserPoolId: pool.Id }));
  assert.equal(again.Certificate, first.Certificate);
  await expectError(
    () => server.admin.send(new GetSigningCertificateCommand({ UserPoolId: 'us-east-1_missing00' })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
});

test('tags round-trip through TagResource, ListTagsForResource and UntagResource', async () => {
  const pool = await createPool({ UserPoolTags: { team: 'identity' } });
  const arn = pool.Arn!;
  assert.equal(arn, arnOf(pool.Id!));
  await server.admin.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'test', team: 'platform' } }));
  assert.deepEqual((await server.admin.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { team: 'platform', env: 'test' });
  assert.deepEqual((await describe(pool.Id!)).UserPoolTags, { team: 'platform', env: 'test' });

  await server.admin.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team', 'absent'] }));
  assert.deepEqual((await server.admin.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, { env: 'test' });
  await server.admin.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
  assert.deepEqual((await server.admin.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags, {});
  assert.equal((await describe(pool.Id!)).UserPoolTags, undefined);

  await expectError(
    () => server.admin.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('us-east-1_missing00') })),
    'ResourceNotFoundException',
    'User pool us-east-1_missing00 does not exist.',
  );
  const foreign = `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${pool.Id}`;
  await expectError(
    () => server.admin.send(new TagResourceCommand({ ResourceArn: foreign, Tags: { a: 'b' } })),
    'ResourceNotFoundException',
    `Resource ${foreign} does not exist.`,
  );
  const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  await expectError(
    () => server.admin.send(new TagResourceCommand({ ResourceArn: arn, Tags: many })),
    'InvalidParameterException',
    'A user pool can have at most 50 tags.',
  );
});
