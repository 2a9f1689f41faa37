import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  N,
  g,
  k,
  padHex,
  modPowN,
  createVerifier,
  createServerChallenge,
  serverKey,
  claimSignature,
  signatureMatches,
  parseA,
  formatTimestamp,
  parseTimestamp,
  computeX,
  clientKey as srpClientKey,
} from '../../src/crypto/srp.js';

// amazon-cognito-identity-js is the reference client: its AuthenticationHelper is what Cognito's
// web SDKs run. Its BigInteger is not exported from the package root.
const require = createRequire(import.meta.url);
const { AuthenticationHelper, DateHelper } = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => ClientHelper;
  DateHelper: new () => { getNowString(): string };
};
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default as new (hex: string, radix: number) => ClientBigInteger;

interface ClientBigInteger {
  toString(radix: number): string;
}
interface ClientHelper {
  smallAValue: ClientBigInteger;
  largeAValue: ClientBigInteger | undefined;
  getLargeAValue(cb: (err: unknown, A: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: ClientBigInteger,
    salt: ClientBigInteger,
    cb: (err: unknown, hkdf: ArrayLike<number>) => void,
  ): void;
}

interface Vector {
  poolName: string;
  username: string;
  password: string;
  a: string;
  b: string;
  salt: string;
  timestamp: string;
  secretBlock: string;
  A: string;
  verifier: string;
  B: string;
  key: string;
  signature: string;
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/srp.json', import.meta.url), 'utf8')) as Vector[];

function clientA(helper: ClientHelper): Promise<string> {
  return new Promise((resolve, reject) => helper.getLargeAValue((err, A) => (err ? reject(err) : resolve(A.toString(16)))));
}
function clientKey(helper: ClientHelper, v: Vector, B: string): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    helper.getPasswordAuthenticationKey(v.username, v.password, new BigInteger(B, 16), new BigInteger(v.salt, 16), (err, hkdf) =>
      err ? reject(err) : resolve(Buffer.from(hkdf)),
    ),
  );
}

test('k is the constant every Cognito client derives', () => {
  assert.equal(k.toString(16), '538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6');
  assert.equal(padHex(N).length, 770, 'padHex(N) carries a leading 00 byte');
  assert.equal(padHex(g), '02');
});

test('native modPowN agrees with BigInt square-and-multiply', () => {
  const slow = (base: bigint, e: bigint): bigint => {
    let r = 1n;
    let b = base % N;
    while (e > 0n) {
      if (e & 1n) r = (r * b) % N;
      b = (b * b) % N;
      e >>= 1n;
    }
    return r;
  };
  for (const [base, e] of [
    [2n, 12345678901234567890n],
    [N - 5n, 3n],
    [123456789n ** 9n, 2n ** 255n + 7n],
  ] as const) {
    assert.equal(modPowN(base, e), slow(base, e));
  }
});

test('modPowN answers the degenerate bases OpenSSL refuses (0, 1, N-1) and a zero exponent', () => {
  assert.equal(modPowN(0n, 5n), 0n);
  assert.equal(modPowN(N, 5n), 0n, 'N is 0 mod N');
  assert.equal(modPowN(1n, 5n), 1n);
  assert.equal(modPowN(N + 1n, 5n), 1n);
  assert.equal(modPowN(12345n, 0n), 1n);
  assert.equal(modPowN(N - 1n, 2n), 1n);
  assert.equal(modPowN(N - 1n, 3n), N - 1n);
});

for (const v of vectors) {
  test(`known-answer vector for ${v.username}@${v.poolName} matches amazon-cognito-identity-js`, async () => {
    const helper = new AuthenticationHelper(v.poolName);
    helper.smallAValue = new BigInteger(v.a, 16);
    helper.largeAValue = undefined;
    const A = await clientA(helper);
    assert.equal(A, v.A, 'A = g^a mod N');

    const verifier = await createVerifier(v.poolName, v.username, v.password, v.salt);
    assert.equal(verifier.verifier, v.verifier, 'v = g^x mod N');
    const challenge = await createServerChallenge(verifier.verifier, v.b);
    assert.equal(challenge.B, v.B, 'B = k·v + g^b');

    const server = (await serverKey(parseA(A)!, challenge, verifier.verifier))!;
    assert.equal(server.toString('hex'), v.key, 'server HKDF key');
    const client = await clientKey(helper, v, challenge.B);
    assert.equal(client.toString('hex'), v.key, 'the client derives the same key');
    const ownClient = srpClientKey(
      BigInt(`0x${v.a}`),
      BigInt(`0x${A}`),
      BigInt(`0x${challenge.B}`),
      computeX(v.salt, v.poolName, v.username, v.password),
    );
    assert.equal(ownClient.toString('hex'), v.key, "Cognate's own client half (tests, tools, bench) derives it too");

    // The client's signature, computed the way CognitoUser.authenticateUserDefaultAuth does.
    const message = Buffer.concat([
      Buffer.from(v.poolName, 'utf8'),
      Buffer.from(v.username, 'utf8'),
      Buffer.from(v.secretBlock, 'base64'),
      Buffer.from(v.timestamp, 'utf8'),
    ]);
    const clientSignature = createHmac('sha256', client).update(message).digest('base64');
    assert.equal(clientSignature, v.signature);
    assert.ok(signatureMatches(claimSignature(server, v.poolName, v.username, v.secretBlock, v.timestamp), clientSignature));
    assert.ok(!signatureMatches(claimSignature(server, v.poolName, 'mallory', v.secretBlock, v.timestamp), clientSignature));
  });
}

test('a wrong password derives a different key', async () => {
  const v = vectors[0]!;
  const helper = new AuthenticationHelper(v.poolName);
  helper.smallAValue = new BigInteger(v.a, 16);
  helper.largeAValue = undefined;
  const A = await clientA(helper);
  const verifier = await createVerifier(v.poolName, v.username, v.password, v.salt);
  const challenge = await createServerChallenge(verifier.verifier, v.b);
  const client = await clientKey(helper, { ...v, password: `${v.password}x` }, challenge.B);
  assert.notEqual(client.toString('hex'), (await serverKey(parseA(A)!, challenge, verifier.verifier))!.toString('hex'));
});

test('SRP_A is refused when it is not hex, too long, or a multiple of N', () => {
  assert.equal(parseA(''), undefined);
  assert.equal(parseA('xyz'), undefined);
  assert.equal(parseA('0'), undefined);
  assert.equal(parseA(N.toString(16)), undefined);
  assert.equal(parseA((N * 2n).toString(16)), undefined);
  assert.equal(parseA('f'.repeat(1025)), undefined);
  assert.equal(parseA('f'.repeat(1024)), BigInt(`0x${'f'.repeat(1024)}`), 'the longest SRP_A Cognito takes');
  assert.equal(parseA('abz'), undefined, 'trailing non-hex');
  assert.equal(parseA('zab'), undefined, 'leading non-hex');
  assert.equal(parseA('2'), 2n);
  assert.equal(parseA('aB'), 0xabn, 'either case');
});

test('TIMESTAMP is formatted and parsed like DateHelper, and nothing else is accepted', () => {
  const ms = Date.UTC(2024, 2, 5, 7, 4, 9);
  assert.equal(formatTimestamp(ms), 'Tue Mar 5 07:04:09 UTC 2024');
  assert.equal(parseTimestamp('Tue Mar 5 07:04:09 UTC 2024'), ms);
  assert.equal(parseTimestamp('Tue Mar 05 07:04:09 UTC 2024'), undefined, 'zero-padded day');
  assert.equal(parseTimestamp('Wed Mar 5 07:04:09 UTC 2024'), undefined, 'wrong weekday');
  assert.equal(parseTimestamp('2024-03-05T07:04:09Z'), undefined);
  assert.equal(parseTimestamp('xTue Mar 5 07:04:09 UTC 2024'), undefined, 'text before');
  assert.equal(parseTimestamp('Tue Mar 5 07:04:09 UTC 2024x'), undefined, 'text after');
  const now = new DateHelper().getNowString();
  assert.ok(parseTimestamp(now) !== undefined, `the client's own TIMESTAMP parses: ${now}`);
});

test('TIMESTAMP names every weekday and month as the HTTP date does', () => {
  // toUTCString (`Tue, 05 Mar 2024 07:04:09 GMT`) is the independent oracle for the names.
  for (let day = 1; day <= 7; day++) {
    for (let month = 0; month < 12; month++) {
      const ms = Date.UTC(2025, month, day, 23, 59, 58);
      const [weekday, , monthName] = new Date(ms).toUTCString().replace(',', '').split(' ');
      const expected = `${weekday} ${monthName} ${day} 23:59:58 UTC 2025`;
      assert.equal(formatTimestamp(ms), expected);
      assert.equal(parseTimestamp(expected), ms);
    }
  }
});

test('a claim signature matches in standard or URL-safe base64, and only its own bytes', () => {
  // Bytes whose base64 holds '+' and '/', so the URL-safe form differs.
  const expected = Buffer.from('fbffbffbffbf', 'hex');
  const standard = expected.toString('base64');
  assert.match(standard, /[+/]/);
  assert.ok(signatureMatches(expected, standard));
  assert.ok(signatureMatches(expected, expected.toString('base64url')));
  assert.ok(!signatureMatches(expected, Buffer.from('fbffbffbffbe', 'hex').toString('base64')));
  assert.ok(!signatureMatches(expected, Buffer.from('fbffbffbff', 'hex').toString('base64')), 'shorter');
});
