import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isRoleMappingProvider, parseRoleArn } from '../../src/domain/identity-pool-roles.js';

test('parseRoleArn reads partition, account, path and name, and refuses what is not an IAM role ARN', () => {
  assert.deepEqual(parseRoleArn('arn:aws:iam::123456789012:role/app'), {
    partition: 'aws',
    account: '123456789012',
    path: '/',
    name: 'app',
  });
  assert.deepEqual(parseRoleArn('arn:aws-cn:iam::123456789012:role/service-role/team/app+1=,.@-x'), {
    partition: 'aws-cn',
    account: '123456789012',
    path: '/service-role/team/',
    name: 'app+1=,.@-x',
  });
  for (const value of [
    'app',
    'arn:aws:iam::123456789012:user/app',
    'arn:aws:iam::12345678901:role/app',
    'arn:aws:iam:us-east-1:123456789012:role/app',
    'arn:aws:sts::123456789012:role/app',
    'arn:aws:iam::123456789012:role/',
    'arn:aws:iam::123456789012:role/has space',
    `arn:aws:iam::123456789012:role/${'n'.repeat(65)}`,
  ]) {
    assert.equal(parseRoleArn(value), undefined, value);
  }
});

test('a role mapping may be keyed by a user pool app client, a social provider, an OIDC provider or a SAML provider the pool lists', () => {
  const publicUrl = 'https://auth.example.com';
  const config = {
    AllowUnauthenticatedIdentities: false,
    SupportedLoginProviders: { 'graph.facebook.com': '1234' },
    CognitoIdentityProviders: [{ ProviderName: 'https://auth.example.com/us-east-1_AbC123', ClientId: 'client1' }],
    OpenIdConnectProviderARNs: ['arn:aws:iam::123456789012:oidc-provider/login.example.com/realm'],
    SamlProviderARNs: ['arn:aws:iam::123456789012:saml-provider/corp'],
  };
  for (const key of [
    'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123:client1',
    'auth.example.com/us-east-1_AbC123:client1',
    'graph.facebook.com',
    'login.example.com/realm',
    'arn:aws:iam::123456789012:saml-provider/corp',
  ]) {
    assert.equal(isRoleMappingProvider(config, key, publicUrl), true, key);
  }
  for (const key of [
    'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123',
    'cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123:client2',
    'cognito-idp.us-east-1.amazonaws.com/us-east-1_Other:client1',
    'accounts.google.com',
    'login.example.com',
    'realm',
    'arn:aws:iam::123456789012:saml-provider/other',
    'toString',
  ]) {
    assert.equal(isRoleMappingProvider(config, key, publicUrl), false, key);
  }
});
