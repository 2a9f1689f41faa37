import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startTestServer, type TestServer } from '../support/server.js';
import { PAGE_LANGUAGES, pageLanguage } from '../../src/pages/sign-in-texts.js';
import { authorizeUrl, createWebClient } from './browser.js';

let server: TestServer;
let poolId: string;
let emailPoolId: string;
let clientId: string;
let emailClientId: string;

before(async () => {
  server = await startTestServer();
  poolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'languages' }))).UserPool!.Id!;
  clientId = (await createWebClient(server, poolId)).id;
  emailPoolId = (await server.admin.send(new CreateUserPoolCommand({ PoolName: 'languages', UsernameAttributes: ['email'] }))).UserPool!
    .Id!;
  emailClientId = (await createWebClient(server, emailPoolId)).id;
});
after(async () => {
  await server.stop();
});

/** The sign-in page `/oauth2/authorize` leads to with these parameters, following its redirect. */
async function signInPage(pool: string, client: string, lang?: string): Promise<string> {
  const response = await fetch(authorizeUrl(server, pool, { client_id: client, ...(lang !== undefined ? { lang } : {}) }));
  assert.equal(response.status, 200);
  assert.match(new URL(response.url).pathname, /\/login$/);
  return response.text();
}

test('lang picks one of Cognito’s languages: exactly, by its primary language, else English', () => {
  assert.deepEqual(PAGE_LANGUAGES, ['de', 'en', 'es', 'fr', 'id', 'it', 'ja', 'ko', 'pt-BR', 'zh-CN', 'zh-TW']);
  assert.equal(pageLanguage(undefined), 'en');
  assert.equal(pageLanguage('DE'), 'de');
  assert.equal(pageLanguage('de-AT'), 'de');
  assert.equal(pageLanguage('pt'), 'pt-BR');
  assert.equal(pageLanguage('zh-tw'), 'zh-TW');
  assert.equal(pageLanguage('zh'), 'zh-CN');
  assert.equal(pageLanguage('nl'), 'en');
});

test('the sign-in page speaks the lang of the authorization request', async () => {
  const german = await signInPage(poolId, clientId, 'de');
  assert.match(german, /<html lang="de">/);
  assert.match(german, /<title>Anmelden<\/title>/);
  assert.match(german, /Melden Sie sich mit Ihrem Benutzernamen und Passwort an/);
  assert.match(german, /<label[^>]*for="signInFormUsername"[^>]*>Benutzername</);
  assert.match(german, /Passwort vergessen\?/);
  assert.match(german, /Noch kein Konto\?/);

  const japanese = await signInPage(emailPoolId, emailClientId, 'ja');
  assert.match(japanese, /<title>サインイン<\/title>/);
  assert.match(japanese, /メールアドレスとパスワードでサインイン/);

  const brazilian = await signInPage(poolId, clientId, 'pt');
  assert.match(brazilian, /Esqueceu sua senha\?/);

  for (const lang of [undefined, 'nl']) {
    const english = await signInPage(poolId, clientId, lang);
    assert.match(english, /<title>Sign in<\/title>/);
    assert.match(english, /Sign in with your username and password/);
    assert.match(english, /Forgot your password\?/);
  }
});
