import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoIdentityClient,
  CreateIdentityPoolCommand,
  GetIdCommand,
  SetIdentityPoolRolesCommand,
} from '@aws-sdk/client-cognito-identity';
import { CreateSAMLProviderCommand, DeleteSAMLProviderCommand, GetSAMLProviderCommand, IAMClient } from '@aws-sdk/client-iam';
import { fromCognitoIdentityPool } from '@aws-sdk/credential-providers';
import { serverForTests, captureError, type TestServer } from '../support/server.js';
import { TestSamlIdp, newKeyMaterial } from '../support/saml-idp.js';
import { callerIdentityWith, identityClients } from './identity-fixtures.js';

/*
 * SAML logins of identity pools: the IdP's metadata is an IAM SAML provider (CreateSAMLProvider,
 * over the wire with the IAM SDK), the identity pool lists its ARN in SamlProviderARNs, and the
 * app sends the base64 SAML response under that ARN in Logins.
 */

let server: TestServer;
let identity: CognitoIdentityClient;
let unsigned: CognitoIdentityClient;
let iam: IAMClient;
const clock = serverForTests((started) => {
  server = started;
  ({ identity, unsigned } = identityClients(server));
  iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.adminKey, maxAttempts: 1 });
  after(() => iam.destroy());
});

/** AWS's SAML service provider: the audience and recipient of the assertions identity pools take. */
const AWS_SAML = 'https://signin.aws.amazon.com/saml';
const SIGNED_IN = 'arn:aws:iam::000000000000:role/saml-users';

let ready: Promise<{ idp: TestSamlIdp; arn: string; pool: string }> | undefined;
function fixtures(): Promise<{ idp: TestSamlIdp; arn: string; pool: string }> {
  return (ready ??= (async () => {
    const idp = new TestSamlIdp({ keys: newKeyMaterial('saml-idp', clock.now() - 60_000) });
    const { SAMLProviderArn } = await iam.send(new CreateSAMLProviderCommand({ Name: 'Corporate', SAMLMetadataDocument: idp.metadata() }));
    const { IdentityPoolId } = await identity.send(
      new CreateIdentityPoolCommand({
        IdentityPoolName: 'saml',
        AllowUnauthenticatedIdentities: false,
        SamlProviderARNs: [SAMLProviderArn!],
      }),
    );
    await identity.send(new SetIdentityPoolRolesCommand({ IdentityPoolId, Roles: { authenticated: SIGNED_IN } }));
    return { idp, arn: SAMLProviderArn!, pool: IdentityPoolId! };
  })());
}

function response(idp: TestSamlIdp, nameId: string, options: { audience?: string } = {}): Promise<string> {
  return idp.loginResponse({ audience: options.audience ?? AWS_SAML, acsUrl: AWS_SAML, nameId, issueInstant: clock.now() });
}

test('CreateSAMLProvider keeps the metadata under an ARN that GetSAMLProvider reads; a second of the name, or no metadata, is refused', async () => {
  const { idp, arn } = await fixtures();
  assert.equal(arn, 'arn:aws:iam::000000000000:saml-provider/Corporate');
  const read = await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
  assert.equal(read.SAMLMetadataDocument, idp.metadata());
  assert.equal(read.CreateDate?.getTime(), Math.floor(clock.now() / 1000) * 1000);
  assert.match(read.SAMLProviderUUID!, /^[0-9a-f-]{36}$/);
  const again = await captureError(() =>
    iam.send(new CreateSAMLProviderCommand({ Name: 'corporate', SAMLMetadataDocument: idp.metadata() })),
  );
  assert.deepEqual([again.name, again.message], ['EntityAlreadyExistsException', 'SAMLProvider with name corporate already exists.']);
  const bad = await captureError(() =>
    iam.send(new CreateSAMLProviderCommand({ Name: 'Broken', SAMLMetadataDocument: '<not-metadata-at-all/>'.padEnd(1000, ' ') })),
  );
  assert.deepEqual([bad.name, bad.message], ['InvalidInputException', 'Could not parse metadata']);
});

test("a SAML response of the provider's IdP gets credentials through fromCognitoIdentityPool, the NameID its login", async () => {
  const { idp, arn, pool } = await fixtures();
  const logins = { [arn]: await response(idp, 'alice@corp.example') };
  const credentials = fromCognitoIdentityPool({
    identityPoolId: pool,
    logins,
    clientConfig: { endpoint: server.url, region: 'us-east-1', maxAttempts: 1 },
  });
  const caller = await callerIdentityWith(server, await credentials());
  assert.equal(caller.Arn, 'arn:aws:sts::000000000000:assumed-role/saml-users/CognitoIdentityCredentials');
  const { IdentityId } = await unsigned.send(new GetIdCommand({ IdentityPoolId: pool, Logins: logins }));
  assert.deepEqual((await server.services.store.identities.get(IdentityId!))?.logins, [
    { providerName: arn, subject: 'alice@corp.example' },
  ]);
});

test('a SAML response signed by another key, for another audience, or of a deleted provider is refused', async () => {
  const { idp, arn, pool } = await fixtures();
  const refusal = async (token: string) => {
    const error = await captureError(() => unsigned.send(new GetIdCommand({ IdentityPoolId: pool, Logins: { [arn]: token } })));
    return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  };
  const impostor = new TestSamlIdp({ keys: newKeyMaterial('impostor', clock.now() - 60_000) });
  const forged = await refusal(await response(impostor, 'mallory'));
  assert.deepEqual([forged.name, forged.status], ['NotAuthorizedException', 400]);
  assert.match(forged.message, /^Invalid login token\. /);
  const elsewhere = await refusal(await response(idp, 'alice@corp.example', { audience: 'https://sp.example.com' }));
  assert.deepEqual([elsewhere.name, elsewhere.status], ['NotAuthorizedException', 400]);
  assert.match(elsewhere.message, /^Invalid login token\. .*[Aa]udience/);

  await iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn }));
  assert.deepEqual(await refusal(await response(idp, 'alice@corp.example')), {
    name: 'NotAuthorizedException',
    status: 400,
    message: 'Token is not from a supported provider of this identity pool.',
  });
  const gone = await captureError(() => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })));
  assert.equal(gone.name, 'NoSuchEntityException');
});
