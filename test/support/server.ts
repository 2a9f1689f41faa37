import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { FrozenClock, type Clock } from '../../src/lib/clock.js';
import type { BootOptions } from '../../src/bootstrap.js';
import type { Services } from '../../src/services.js';
import type { InboxMessage } from '../../src/store/ports.js';
import { TEST_PG_URL_VARIABLE, createTestSchema, testPostgresUrl } from './postgres.js';

export interface TestServer {
  url: string;
  services: Services;
  /** SDK client signed with the server's admin key pair. */
  admin: CognitoIdentityProviderClient;
  /** The server's admin key pair, for clients of its other services (Cognito Identity, STS). */
  adminKey: { accessKeyId: string; secretAccessKey: string };
  /** SDK client with credentials the server does not know: only public operations succeed. */
  anonymous: CognitoIdentityProviderClient;
  /** Newest inbox message for a user (optionally of one purpose). */
  lastMessage(poolId: string, username: string, purpose?: string): Promise<InboxMessage | undefined>;
  /** Resolves once the server has heard of every pool or client change made so far (Booted.changesHeard). */
  changesHeard(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The variable that puts the API tests on PostgreSQL: `postgres` runs every test server in a
 * schema of its own in COGNATE_TEST_PG_URL's database (tools/run-tests.ts sets it for its second
 * pass); unset or `sqlite`, each server has a fresh SQLite file.
 */
export const TEST_ENGINE_VARIABLE = 'COGNATE_TEST_ENGINE';

/** The engine the API tests run on. */
export function testEngine(): 'sqlite' | 'postgres' {
  const engine = process.env[TEST_ENGINE_VARIABLE] ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error(`${TEST_ENGINE_VARIABLE} must be sqlite or postgres, not ${engine}`);
  return engine;
}

/** The database of one test server, and how to remove it when the server stops. */
async function testDatabase(dataDir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (testEngine() === 'sqlite') return { url: `sqlite:${join(dataDir, 'cognate.db')}`, drop: async () => {} };
  const base = testPostgresUrl();
  if (base === undefined) throw new Error(`${TEST_ENGINE_VARIABLE}=postgres needs ${TEST_PG_URL_VARIABLE}`);
  return createTestSchema(base);
}

export function sdkClient(url: string, accessKeyId: string, secretAccessKey: string, region = 'us-east-1'): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
  });
}

/**
 * Starts a real listening Cognate on a free loopback port with its own data folder and a fresh
 * database (a SQLite file, or with COGNATE_TEST_ENGINE=postgres a schema of its own), and SDK
 * clients pointed at it.
 */
export async function startTestServer(
  overrides: Partial<Config> = {},
  options: { clock?: Clock; queryLog?: BootOptions['queryLog']; readLeaseMs?: number; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognate-test-'));
  // A test that brings its own database (two nodes sharing one) keeps it.
  const database = overrides.databaseUrl !== undefined ? { url: overrides.databaseUrl, drop: async () => {} } : await testDatabase(dataDir);
  const config: Config = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    databaseUrl: database.url,
    logLevel: 'silent',
    ...overrides,
  };
  const logger = options.logger ?? pino({ level: process.env['COGNATE_TEST_LOG'] ?? 'silent' });
  const server: RunningServer = await startServer(config, {
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.queryLog ? { queryLog: options.queryLog } : {}),
    ...(options.readLeaseMs === undefined ? {} : { readLeaseMs: options.readLeaseMs }),
  });
  const services = server.booted.services;
  const key = server.booted.adminKeys.keys[0]!;
  const admin = sdkClient(server.url, key.accessKeyId, key.secretAccessKey);
  const anonymous = sdkClient(server.url, 'AKIAUNKNOWN', 'unknown-secret');
  return {
    url: server.url,
    services,
    admin,
    adminKey: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey },
    anonymous,
    async lastMessage(poolId, username, purpose) {
      const messages = await services.store.inbox.list({ poolId, username, limit: 50 });
      return messages.find((m) => purpose === undefined || m.purpose === purpose);
    },
    changesHeard: () => server.booted.changesHeard(),
    async stop() {
      admin.destroy();
      anonymous.destroy();
      await server.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One test server for all the tests of a file, started before them and stopped after them, on a
 * FrozenClock near the real time (SigV4 checks the request date against the server's clock).
 * `started` receives the server; the clock is returned, for tests that move time.
 */
export function serverForTests(started: (server: TestServer) => void, overrides: Partial<Config> = {}): FrozenClock {
  const clock = FrozenClock.atNow();
  let server: TestServer | undefined;
  before(async () => {
    server = await startTestServer(overrides, { clock });
    started(server);
  });
  after(() => server?.stop());
  return clock;
}

/** Runs `fn` and returns the error it throws (fails the test if it does not throw). */
export async function captureError(
  fn: () => Promise<unknown>,
): Promise<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected an error, none was thrown');
}

/** Asserts that `fn` fails with Cognito's error `name`, HTTP 400, and the message (exact text or a pattern). */
export async function expectCognitoError(fn: () => Promise<unknown>, name: string, message: string | RegExp): Promise<void> {
  const error = await captureError(fn);
  assert.equal(error.name, name);
  assert.equal(error.$metadata?.httpStatusCode, 400);
  if (typeof message === 'string') assert.equal(error.message, message);
  else assert.match(error.message, message);
}

/** What {@link signedJsonCall} signs with; the defaults are those of the SDK's own client. */
export interface JsonCallSigning {
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  /** The SDK adds x-amz-content-sha256; botocore does not, so the body is covered only by the signature. */
  applyChecksum?: boolean;
  /** The signing name of the credential scope; `cognito-idp` unless told. */
  service?: string;
}

/**
 * An awsJson1_1 call to `url` for `target` (`AWSCognitoIdentityProviderService.X`), signed with the
 * SDK's own SigV4 signer, as headers (without `host`, which fetch sets) and body for `fetch`.
 */
export async function signedJsonCall(
  url: string,
  target: string,
  body: string,
  signing: JsonCallSigning,
): Promise<{ headers: Record<string, string>; body: string }> {
  return signedPost(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body, signing);
}

/**
 * A `POST /` to `url` with `headers` and `body`, signed with the SDK's own SigV4 signer (an awsQuery
 * form, for one), as headers (without `host`, which fetch sets) and body for `fetch`.
 */
export async function signedPost(
  url: string,
  headers: Record<string, string>,
  body: string,
  signing: JsonCallSigning,
): Promise<{ headers: Record<string, string>; body: string }> {
  const endpoint = new URL(url);
  const signer = new SignatureV4({
    service: signing.service ?? 'cognito-idp',
    region: signing.region ?? 'us-east-1',
    credentials: { accessKeyId: signing.accessKeyId, secretAccessKey: signing.secretAccessKey },
    sha256: Sha256,
    applyChecksum: signing.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      port: Number(endpoint.port),
      path: '/',
      headers: { host: endpoint.host, ...headers },
      body,
    }),
  );
  return { headers: Object.fromEntries(Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host')), body };
}
