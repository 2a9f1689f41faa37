import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { FUNCTION_MODES, functionArn, moduleFunctions, serveFunctions, type FunctionServer } from '../support/functions.js';
import { fireTrigger, triggerArn } from '../../src/triggers/fire.js';
import type { UserPoolRecord } from '../../src/store/ports.js';

const handlers = moduleFunctions({
  echo: `export const handler = async (event) => { event.response.seen = structuredClone(event); return event; };`,
  refuse: `export const handler = async () => { throw new Error('Registration from this domain is not allowed.'); };`,
  'not-an-object': `export const handler = async (event) => ({ ...event, response: 'yes' });`,
});
let functions: FunctionServer;
const servers: TestServer[] = [];
before(async () => {
  functions = await serveFunctions(handlers);
});
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await functions.close();
});

async function poolWith(server: TestServer, preSignUp: string | undefined): Promise<UserPoolRecord> {
  const created = await server.admin.send(
    new CreateUserPoolCommand({ PoolName: 'fire', ...(preSignUp ? { LambdaConfig: { PreSignUp: preSignUp } } : {}) }),
  );
  return (await server.services.store.pools.get(created.UserPool!.Id!))!;
}

for (const mode of FUNCTION_MODES) {
  test(`${mode}: the event carries Cognito's common fields, and failures map to Cognito's exceptions`, async () => {
    const server = await startTestServer({ functions: functions.targets(mode) });
    servers.push(server);
    const call = { trigger: 'PreSignUp', triggerSource: 'PreSignUp_SignUp', userName: 'alice', clientId: 'client-1' } as const;

    const pool = await poolWith(server, functionArn('echo'));
    assert.equal(triggerArn(pool, 'PreSignUp'), functionArn('echo'));
    const response = await fireTrigger(server.services, pool, { ...call, request: { userAttributes: { email: 'a@example.com' } } });
    assert.deepEqual(response?.['seen'], {
      version: '1',
      triggerSource: 'PreSignUp_SignUp',
      region: 'us-east-1',
      userPoolId: pool.id,
      userName: 'alice',
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-1' },
      request: { userAttributes: { email: 'a@example.com' } },
      response: {},
    });
    const [logged] = await server.services.invocations.list(pool.id);
    assert.equal(logged?.triggerSource, 'PreSignUp_SignUp');
    assert.equal(logged?.outcome, 'ok');

    const refused = await poolWith(server, functionArn('refuse'));
    await assert.rejects(fireTrigger(server.services, refused, { ...call, request: {} }), {
      name: 'UserLambdaValidationException',
      message: 'PreSignUp failed with error Registration from this domain is not allowed..',
    });
    const garbled = await poolWith(server, functionArn('not-an-object'));
    await assert.rejects(fireTrigger(server.services, garbled, { ...call, request: {} }), { name: 'InvalidLambdaResponseException' });
    const unmapped = await poolWith(server, functionArn('nobody-maps-this'));
    await assert.rejects(fireTrigger(server.services, unmapped, { ...call, request: {} }), { name: 'UnexpectedLambdaException' });

    const none = await poolWith(server, undefined);
    assert.equal(await fireTrigger(server.services, none, { ...call, request: {} }), undefined);
  });
}
