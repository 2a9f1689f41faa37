import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { TestServer } from '../support/server.js';
import { formatTimestamp } from '../../src/crypto/srp.js';

/**
 * The client side of Cognito's SRP for the sign-in tests, done by amazon-cognito-identity-js's
 * AuthenticationHelper (the reference client) so the server is checked against real client math,
 * while the tests keep control of every value sent (TIMESTAMP, SECRET_BLOCK, USERNAME).
 */

const require = createRequire(import.meta.url);
const { AuthenticationHelper } = require('amazon-cognito-identity-js') as {
  AuthenticationHelper: new (poolName: string) => ClientHelper;
};
const BigInteger = require('amazon-cognito-identity-js/lib/BigInteger.js').default as new (hex: string, radix: number) => ClientBigInteger;

interface ClientBigInteger {
  toString(radix: number): string;
}
interface ClientHelper {
  getLargeAValue(cb: (err: unknown, A: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: ClientBigInteger,
    salt: ClientBigInteger,
    cb: (err: unknown, hkdf: ArrayLike<number>) => void,
  ): void;
  generateHashDevice(deviceGroupKey: string, username: string, callback: (err: unknown) => void): void;
  getVerifierDevices(): string;
  getSaltDevices(): string;
  getRandomPassword(): string;
}

/** One client-side SRP exchange: `A` to send, then the proof for the server's challenge. */
export interface SrpExchange {
  readonly A: string;
  /**
   * PASSWORD_CLAIM_SIGNATURE for the challenge parameters (SALT, SRP_B, SECRET_BLOCK), as
   * CognitoUser computes it: HMAC(K, poolName | userId | SECRET_BLOCK bytes | TIMESTAMP).
   */
  sign(input: { userId: string; password: string; salt: string; srpB: string; secretBlock: string; timestamp: string }): Promise<string>;
}

/** Starts an exchange for a pool name (the pool ID's part after `_`, or a DeviceGroupKey). */
export async function srpExchange(poolName: string): Promise<SrpExchange> {
  const helper = new AuthenticationHelper(poolName);
  const A = await new Promise<string>((resolve, reject) =>
    helper.getLargeAValue((err, a) => (err ? reject(err) : resolve(a.toString(16)))),
  );
  return {
    A,
    async sign({ userId, password, salt, srpB, secretBlock, timestamp }) {
      const key = await new Promise<Buffer>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(userId, password, new BigInteger(srpB, 16), new BigInteger(salt, 16), (err, hkdf) =>
          err ? reject(err) : resolve(Buffer.from(hkdf)),
        ),
      );
      return createHmac('sha256', key)
        .update(
          Buffer.concat([
            Buffer.from(poolName, 'utf8'),
            Buffer.from(userId, 'utf8'),
            Buffer.from(secretBlock, 'base64'),
            Buffer.from(timestamp, 'utf8'),
          ]),
        )
        .digest('base64');
    },
  };
}

export function poolNameOf(poolId: string): string {
  return poolId.split('_')[1]!;
}

/** The TIMESTAMP a client would send at the server's (frozen) time. */
export function timestampAt(server: TestServer): string {
  return formatTimestamp(server.services.clock.now());
}

/** A device secret and its DeviceSecretVerifierConfig, as the client derives them for ConfirmDevice. */
export async function deviceSecret(
  deviceGroupKey: string,
  deviceKey: string,
): Promise<{ password: string; config: { Salt: string; PasswordVerifier: string } }> {
  const helper = new AuthenticationHelper(deviceGroupKey);
  await new Promise<void>((resolve, reject) =>
    helper.generateHashDevice(deviceGroupKey, deviceKey, (err) => (err ? reject(err) : resolve())),
  );
  return {
    password: helper.getRandomPassword(),
    config: {
      Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'),
    },
  };
}

export interface SrpSignIn {
  exchange: SrpExchange;
  initiated: InitiateAuthCommandOutput;
  params: Record<string, string>;
}

/** InitiateAuth USER_SRP_AUTH for a name, returning the challenge with its exchange. */
export async function initiateSrp(
  server: TestServer,
  poolId: string,
  clientId: string,
  username: string,
  extra: Record<string, string> = {},
): Promise<SrpSignIn> {
  const exchange = await srpExchange(poolNameOf(poolId));
  const initiated = await server.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, SRP_A: exchange.A, ...extra },
    }),
  );
  return { exchange, initiated, params: initiated.ChallengeParameters ?? {} };
}

/** The ChallengeResponses of a PASSWORD_VERIFIER answer for a password (overridable piece by piece). */
export async function passwordVerifierResponses(
  server: TestServer,
  signIn: SrpSignIn,
  password: string,
  overrides: Partial<Record<'USERNAME' | 'TIMESTAMP' | 'PASSWORD_CLAIM_SECRET_BLOCK', string>> = {},
): Promise<Record<string, string>> {
  const userId = signIn.params['USER_ID_FOR_SRP']!;
  const timestamp = overrides.TIMESTAMP ?? timestampAt(server);
  const secretBlock = overrides.PASSWORD_CLAIM_SECRET_BLOCK ?? signIn.params['SECRET_BLOCK']!;
  const signature = await signIn.exchange.sign({
    userId,
    password,
    salt: signIn.params['SALT']!,
    srpB: signIn.params['SRP_B']!,
    secretBlock,
    timestamp,
  });
  return {
    USERNAME: overrides.USERNAME ?? userId,
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
  };
}

/** A whole USER_SRP_AUTH sign-in through the SDK; returns PASSWORD_VERIFIER's answer. */
export async function srpSignIn(
  server: TestServer,
  poolId: string,
  clientId: string,
  username: string,
  password: string,
  options: { initiate?: Record<string, string>; respond?: Record<string, string> } = {},
): Promise<RespondToAuthChallengeCommandOutput> {
  const signIn = await initiateSrp(server, poolId, clientId, username, options.initiate);
  const responses = await passwordVerifierResponses(server, signIn, password);
  return server.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      ChallengeResponses: { ...responses, ...options.respond },
    }),
  );
}
