/**
 * CloudFormation templates applied as `cognate apply` applies them (in process, through the function
 * the command calls): a template as `cdk synth` writes it, then an app signing in with the ids the
 * stack outputs print; YAML's short-form intrinsics; and templates Cognate cannot apply whole.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListUserPoolsCommand,
  DescribeUserPoolDomainCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoIdentityClient, GetCredentialsForIdentityCommand, GetIdCommand } from '@aws-sdk/client-cognito-identity';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestServer, type TestServer } from '../support/server.js';
import { applyFile, type ApplyOptions } from '../../src/apply/apply.js';

let server: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'cognate-cfn-'));

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Applies a file as the command does; answers every line it printed. */
async function apply(path: string, flags: Partial<Omit<ApplyOptions, 'print'>> = {}): Promise<string> {
  const lines: string[] = [];
  await applyFile(server.services, path, { dryRun: false, prune: false, ...flags, print: (line) => lines.push(line) });
  return lines.join('\n');
}

async function refusal(path: string, flags: Partial<Omit<ApplyOptions, 'print'>> = {}): Promise<string> {
  try {
    await apply(path, flags);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the template was applied');
}

function templateFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The value a stack output line gives: `  Name value`. */
function outputOf(printed: string, name: string): string {
  return new RegExp(`^  ${name} (\\S+)$`, 'm').exec(printed)?.[1] ?? assert.fail(`no output ${name} in:\n${printed}`);
}

test('a CDK-synthesized template applies, prints its outputs, and an app signs in and gets AWS credentials with them', async () => {
  const path = join(dir, 'CdkStack.template.json');
  copyFileSync(new URL('./fixtures/cdk-stack.template.json', import.meta.url), path);
  assert.match(await refusal(path), /Resources\.AuthenticatedRole86104F1A\.Type: AWS::IAM::Role is not created by Cognate/);
  // The role is the only part left out: its ARN is used as the template gives it.
  const printed = await apply(path, { partial: true });
  assert.deepEqual(printed.split('\n').filter((line) => line.startsWith('skipped')).length, 1, printed);

  const poolId = outputOf(printed, 'UserPoolId');
  const clientId = outputOf(printed, 'WebClientId');
  assert.match(poolId, /^us-east-1_[A-Za-z0-9]+$/);
  assert.equal(outputOf(printed, 'UserPoolArn'), `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`);
  const issuer = outputOf(printed, 'Issuer');
  assert.equal(outputOf(printed, 'Jwks'), `${issuer}/.well-known/jwks.json`);

  // The pool's name comes from Fn::Join with the stack name (the file's name, as cdk synth names it).
  const pool = await server.admin.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
  assert.equal(pool.UserPool!.Name, 'CdkStack-users');
  assert.equal(pool.UserPool!.Policies!.PasswordPolicy!.MinimumLength, 10);
  const client = await server.admin.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
  assert.deepEqual(client.UserPoolClient!.AllowedOAuthScopes!.toSorted(), ['email', 'https://api.example.com/orders.read', 'openid']);
  const groups = await server.admin.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'alice@example.com' }));
  assert.deepEqual(
    groups.Groups!.map((g) => g.GroupName),
    ['admins'],
  );
  const alice = await server.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'alice@example.com' }));
  assert.equal(alice.UserStatus, 'FORCE_CHANGE_PASSWORD', 'a template user has no password, as AdminCreateUser makes it');

  await server.admin.send(
    new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: 'alice@example.com', Password: 'Str0ng-enough', Permanent: true }),
  );
  const signIn = await server.admin.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'alice@example.com', PASSWORD: 'Str0ng-enough' },
    }),
  );
  // The Issuer output is what an app verifies the tokens against.
  const { payload } = await jwtVerify(signIn.AuthenticationResult!.IdToken!, createRemoteJWKSet(new URL(outputOf(printed, 'Jwks'))), {
    issuer,
    audience: clientId,
  });
  assert.deepEqual(payload['cognito:groups'], ['admins']);

  // The identity pool trusts the template's user pool and client: the ID token buys credentials of the attached role.
  const identity = new CognitoIdentityClient({ endpoint: server.url, region: 'us-east-1', maxAttempts: 1 });
  const logins = { [outputOf(printed, 'ProviderName')]: signIn.AuthenticationResult!.IdToken! };
  const { IdentityId } = await identity.send(new GetIdCommand({ IdentityPoolId: outputOf(printed, 'IdentityPoolId'), Logins: logins }));
  const { Credentials } = await identity.send(new GetCredentialsForIdentityCommand({ IdentityId, Logins: logins }));
  assert.match(Credentials!.AccessKeyId!, /^ASIA/);
  const sts = new STSClient({
    endpoint: server.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: {
      accessKeyId: Credentials!.AccessKeyId!,
      secretAccessKey: Credentials!.SecretKey!,
      sessionToken: Credentials!.SessionToken!,
    },
  });
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  assert.match(caller.Arn!, /^arn:aws:sts::000000000000:assumed-role\/AuthenticatedRole86104F1A\//);
  assert.equal(outputOf(printed, 'AuthenticatedRoleArn'), 'arn:aws:iam::000000000000:role/AuthenticatedRole86104F1A');
  identity.destroy();
  sts.destroy();

  // The domain serves the managed login.
  const domain = await server.admin.send(new DescribeUserPoolDomainCommand({ Domain: 'cdk-stack-login' }));
  assert.equal(domain.DomainDescription!.UserPoolId, poolId);

  const again = await apply(path, { partial: true });
  assert.match(again, /plan: 0 to create, 0 to update, 0 to delete, \d+ unchanged/);
  assert.equal(outputOf(again, 'UserPoolId'), poolId, 'applying again keeps the same pool');
});

test('YAML short forms are read as their long forms', async () => {
  const path = templateFile(
    'short.yaml',
    `Parameters:
  Env: {Type: String, Default: staging}
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: !Sub "\${Env}-\${AWS::Region}-pool"
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      ClientName: !Select [1, !Split [",", "a,mobile,c"]]
      GenerateSecret: true
Outputs:
  ClientId: {Value: !Ref Client}
  Secret: {Value: !GetAtt Client.ClientSecret}
  Provider: {Value: !GetAtt [Pool, ProviderName]}
  Literal: {Value: !Sub "\${!NotAVariable}"}
`,
  );
  const printed = await apply(path);
  assert.match(printed, /create\s+UserPool\s+staging-us-east-1-pool/);
  assert.match(printed, /create\s+UserPoolClient\s+staging-us-east-1-pool\/mobile/);
  const pools = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  const poolId = pools.UserPools!.find((p) => p.Name === 'staging-us-east-1-pool')!.Id!;
  const described = await server.admin.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: outputOf(printed, 'ClientId') }),
  );
  assert.equal(outputOf(printed, 'Secret'), described.UserPoolClient!.ClientSecret);
  assert.equal(outputOf(printed, 'Provider'), `cognito-idp.us-east-1.amazonaws.com/${poolId}`);
  assert.equal(outputOf(printed, 'Literal'), '${NotAVariable}');
});

test('what Cognate does not apply is refused, naming each place, and nothing is applied; --partial applies the rest', async () => {
  const path = templateFile(
    'partial.yaml',
    `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: partial-pool
      EnabledMfas: [SOFTWARE_TOKEN_MFA]
  Topic:
    Type: AWS::SNS::Topic
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      ClientName: !If [IsProd, prod, dev]
`,
  );
  const message = await refusal(path);
  assert.match(message, /partial\.yaml:6: Resources\.Pool\.Properties\.EnabledMfas: not applied/);
  assert.match(message, /partial\.yaml:8: Resources\.Topic\.Type: AWS::SNS::Topic is not applied by Cognate \(apply with --partial/);
  assert.match(message, /partial\.yaml:\d+: Resources\.Client\.Properties: Fn::If is not evaluated by Cognate/);
  const pools = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  assert.equal(pools.UserPools!.filter((p) => p.Name === 'partial-pool').length, 0, 'nothing was applied');

  // Partial: the skipped parts are listed, and the client, whose name is unknown, is still refused by its own check.
  const withoutIf = templateFile('partial-2.yaml', readFileSync(path, 'utf8').replace('!If [IsProd, prod, dev]', 'dev'));
  const printed = await apply(withoutIf, { partial: true });
  assert.match(printed, /^skipped {2}.*Resources\.Topic\.Type: AWS::SNS::Topic is not applied by Cognate$/m);
  assert.match(printed, /^skipped {2}.*EnabledMfas: not applied/m);
  assert.match(printed, /create\s+UserPoolClient\s+partial-pool\/dev/);
});

test('a template whose resources do not fit together is refused at their lines', async () => {
  const path = templateFile(
    'broken.yaml',
    `Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: broken-pool
      Policies: {PasswordPolicy: {MinimumLength: 2}}
  Orphan:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: us-east-1_elsewhere
      ClientName: orphan
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      ClientName: web
      CallbackURLs: [!GetAtt Pool.ProviderURL]
  Nameless:
    Type: AWS::Cognito::UserPoolGroup
    Properties:
      UserPoolId: !Ref Pool
      Description: !Ref Missing
Outputs:
  Nothing: {Value: !Ref AlsoMissing}
`,
  );
  const message = await refusal(path);
  assert.match(
    message,
    /broken\.yaml:6: Resources\.Pool\.Properties\.Policies\.PasswordPolicy\.MinimumLength: Member must have value greater than or equal to 6/,
  );
  assert.match(message, /broken\.yaml:10: Resources\.Orphan\.Properties\.UserPoolId: expected Ref to a user pool of this template/);
  assert.match(message, /broken\.yaml:\d+: Resources\.Client\.Properties: Fn::GetAtt Pool\.ProviderURL is only known once applied/);
  assert.match(message, /broken\.yaml:\d+: Resources\.Nameless\.Properties: Ref to Missing, which is neither a parameter nor a resource/);
  assert.match(message, /broken\.yaml:\d+: Outputs\.Nothing\.Value: Ref to AlsoMissing/);
  const pools = await server.admin.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  assert.equal(pools.UserPools!.filter((p) => p.Name === 'broken-pool').length, 0);
});
