import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.js';
import { issuerFor, poolIdFromIssuer } from '../../src/tokens/issuer.js';

/* The pool named by a token's `iss`, in both issuer styles, and every near miss refused. */

const PUBLIC_URL = 'http://127.0.0.1:9229';
const server = { config: { ...loadConfig({}), issuerStyle: 'server' as const }, publicUrl: () => PUBLIC_URL };
const aws = { config: { ...loadConfig({}), issuerStyle: 'aws' as const }, publicUrl: () => PUBLIC_URL };
const POOL = { id: 'us-east-1_AbC123', region: 'us-east-1' };

test('the issuer of each style names its pool', () => {
  assert.equal(issuerFor(server, POOL), `${PUBLIC_URL}/us-east-1_AbC123`);
  assert.equal(issuerFor(aws, POOL), 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123');
  assert.equal(poolIdFromIssuer(server, issuerFor(server, POOL)), 'us-east-1_AbC123');
  assert.equal(poolIdFromIssuer(aws, issuerFor(aws, POOL)), 'us-east-1_AbC123');
  assert.equal(poolIdFromIssuer(aws, 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x9'), 'eu-west-1_x9');
});

test('an issuer of the other style, or of another host, names no pool', () => {
  assert.equal(poolIdFromIssuer(server, issuerFor(aws, POOL)), undefined);
  assert.equal(poolIdFromIssuer(aws, issuerFor(server, POOL)), undefined);
  // Same length as PUBLIC_URL, another host.
  assert.equal(poolIdFromIssuer(server, 'http://127.0.0.2:9229/us-east-1_AbC123'), undefined);
  assert.equal(poolIdFromIssuer(server, 'https://evil.example/us-east-1_AbC123'), undefined);
});

test('text before or after the pool ID, or a malformed pool ID, names no pool', () => {
  for (const issuer of [
    `${PUBLIC_URL}/x/us-east-1_AbC123`,
    `${PUBLIC_URL}/us-east-1_AbC123/x`,
    `${PUBLIC_URL}/us-east-1_AbC123.`,
    `${PUBLIC_URL}/no-underscore`,
    `${PUBLIC_URL}/`,
  ]) {
    assert.equal(poolIdFromIssuer(server, issuer), undefined, issuer);
  }
  for (const issuer of [
    'xhttps://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123',
    'https://cognito-idp.us-east-1.amazonaws.com/x/us-east-1_AbC123',
    'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123/x',
    'https://cognito-idp.US_EAST.amazonaws.com/us-east-1_AbC123',
    'https://cognito-idp..amazonaws.com/us-east-1_AbC123',
  ]) {
    assert.equal(poolIdFromIssuer(aws, issuer), undefined, issuer);
  }
});
