import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { USER_PREFIX, syncRecordValue, type Outcome, type Seed, type SyncSeed } from './seed.js';
import { SrpClient, ephemerals, type VerifierChallenge } from './srp-client.js';
import type { Target } from './targets.js';
import type { TotpTurn } from './totp-rotation.js';
import { SYNC_RECORDS, type RecordTurn } from './sync-records.js';
import { awsJsonRequest, describeFailure, formRequest, identityJsonRequest, restQuery, restRequest, type Signer } from './wire.js';

/**
 * The paths under load: what one operation is on the wire, built per request so each request is a
 * realistic one (sign-ins rotate over the seeded users, sign-ups use fresh usernames, admin calls
 * carry their own SigV4 signature). A path is one or more HTTP calls; SRP is two.
 */

export type PathId =
  | 'password'
  | 'password-mfa'
  | 'password-trigger'
  | 'password-trigger-beside-hung'
  | 'srp'
  | 'refresh'
  | 'oauth-refresh'
  | 'get-user'
  | 'admin-get-user'
  | 'list-users'
  | 'client-credentials'
  | 'sign-up'
  | 'admin-create-user'
  | 'identity-credentials'
  | 'web-identity'
  | 'gateway-direct'
  | 'gateway-cognito'
  | 'gateway-iam'
  | 'sync-list-records'
  | 'sync-update-records';

/** The gateway's paths: the upstream called directly (the baseline), and through each authorizer. */
export const GATEWAY_PATHS: readonly PathId[] = ['gateway-direct', 'gateway-cognito', 'gateway-iam'];
export const SYNC_PATHS: readonly PathId[] = ['sync-list-records', 'sync-update-records'];

export type CeilingId = 'password' | 'srp' | 'refresh' | 'get-user' | 'client-credentials' | 'credentials';

export interface PathDef {
  id: PathId;
  title: string;
  /** The crypto ceiling that bounds this path on this machine, when there is one. */
  ceiling?: CeilingId;
  /** Builds the requests for a target, or says why the path is not available there. */
  prepare(target: Target, seed: Seed): Outcome<Prepared>;
  /** Load kept up on the server while this path is measured, when the path is about what runs beside it. */
  beside?(target: Target, seed: Seed): Outcome<BackgroundLoad>;
}

/** Requests sent alongside a measured path; `start` begins them and answers the function that stops them. */
export interface BackgroundLoad {
  description: string;
  start(): () => Promise<BackgroundReport>;
}

export interface BackgroundReport {
  /** Requests of the background load that were answered while it ran. */
  answered: number;
  /** The first answer that was not the one expected, if any. */
  unexpected: string | undefined;
}

/** Sign-ins kept waiting on the hung handler at any moment: more than a function's threads, so a shared pool would be full. */
const HUNG_IN_FLIGHT = 8;

/**
 * CUSTOM_AUTH sign-ins on the hung pool, HUNG_IN_FLIGHT at a time: each waits out Cognito's
 * 5-second limit on its define auth challenge handler and fails with UnexpectedLambdaException.
 */
function hungSignIns(target: Target, seed: Seed): Outcome<BackgroundLoad> {
  if (!seed.hungPool.ok) return seed.hungPool;
  const { clientId, username } = seed.hungPool.value;
  const { method, path, headers, body } = awsJsonRequest(hostOf(target), 'InitiateAuth', {
    AuthFlow: 'CUSTOM_AUTH',
    ClientId: clientId,
    AuthParameters: { USERNAME: username },
  });
  const url = new URL(path ?? '/', target.url);
  return {
    ok: true,
    value: {
      description: `${HUNG_IN_FLIGHT} sign-ins always waiting on a hung handler`,
      start() {
        let running = true;
        const report: BackgroundReport = { answered: 0, unexpected: undefined };
        const loop = async (): Promise<void> => {
          while (running) {
            const response = await fetch(url, {
              method: method ?? 'POST',
              headers: headers as Record<string, string>,
              body: body as string,
            });
            const text = await response.text();
            report.answered++;
            if (!text.includes('UnexpectedLambdaException')) report.unexpected ??= describeFailure(response.status, text);
          }
        };
        const loops = Array.from({ length: HUNG_IN_FLIGHT }, loop);
        return async () => {
          running = false;
          await Promise.all(loops);
          return report;
        };
      },
    },
  };
}

/** Completed operations and their latencies, recorded by the requests' own hooks. */
export class OpRecorder {
  count = 0;
  latenciesMs: number[] = [];
  firstFailure: string | undefined;

  reset(): void {
    this.count = 0;
    this.latenciesMs = [];
    this.firstFailure = undefined;
  }
}

export interface Prepared {
  /** The sequence one connection repeats; one pass is one operation. */
  requests: autocannon.Request[];
  /** The URL autocannon connects to. */
  url: string;
  recorder: OpRecorder;
  /**
   * One request, the same bytes every time, without hooks: wrk sends it when installed
   * (bench/wrk.ts), or autocannon builds it once instead of for every send; either keeps the load
   * generator's share of the machine small. The recorder is fed from the generator's own counts
   * instead of request hooks (bench/load.ts).
   */
  fixed?: boolean;
}

const T0 = 't0';

/**
 * Wraps a request sequence so that an operation's latency runs from building its first request to
 * the 2xx response of its last, and failures are remembered (first one kept for the report). A
 * single unchanging request is left fixed (wrk's, when installed).
 */
function recorded(requests: autocannon.Request[], url: string): Prepared {
  const recorder = new OpRecorder();
  const only = requests.length === 1 ? requests[0]! : undefined;
  if (only && !only.setupRequest && !only.onResponse) return { requests: [only], url, recorder, fixed: true };
  const last = requests.length - 1;
  const wrapped = requests.map((request, index): autocannon.Request => {
    const setup = request.setupRequest;
    const onResponse = request.onResponse;
    return {
      ...request,
      setupRequest: (req, context) => {
        if (index === 0) context[T0] = performance.now();
        return setup ? setup(req, context) : req;
      },
      onResponse: (status, body, context, headers) => {
        if (status >= 300) {
          recorder.firstFailure ??= describeFailure(status, body);
        } else if (index === last) {
          recorder.count++;
          recorder.latenciesMs.push(performance.now() - (context[T0] as number));
        }
        onResponse?.(status, body, context, headers);
      },
    };
  });
  return { requests: wrapped, url, recorder };
}

function hostOf(target: Target): string {
  return new URL(target.url).host;
}

function signerOf(target: Target): Signer {
  return { credentials: target.credentials, region: target.region };
}

/** A request built anew by `build` for every send (a fresh signature, another body). */
function perRequest(build: () => autocannon.Request): autocannon.Request {
  return { ...build(), setupRequest: () => build() };
}

/** A request whose body is rebuilt for every send by `next`, optionally SigV4-signed. */
function rotating(target: Target, operation: string, next: () => unknown, signed = false): autocannon.Request {
  const host = hostOf(target);
  const signer = signed ? signerOf(target) : undefined;
  return perRequest(() => awsJsonRequest(host, operation, next(), signer));
}

/** A Cognito Sync dataset's path, its labels encoded as the AWS SDK encodes them. */
function datasetPath(sync: SyncSeed): string {
  return `/identitypools/${encodeURIComponent(sync.identityPoolId)}/identities/${encodeURIComponent(sync.identityId)}/datasets/${encodeURIComponent(sync.datasetName)}`;
}

/** Cognito Sync's SigV4 signing with the identity's own credentials. */
function syncSigning(target: Target, sync: SyncSeed): { signer: Signer; service: string } {
  return { signer: { credentials: sync.credentials, region: target.region }, service: 'cognito-sync' };
}

/**
 * One device's sync of one change, as a Cognito Sync client makes it: ListRecords of what changed
 * since the dataset's sync count it saw last (the SyncSessionToken comes with it), then
 * UpdateRecords replacing one record, named with the SyncCount it last saw of it. Each operation
 * takes a record no other one in flight is updating (bench/sync-records.ts), so none conflicts.
 */
function syncOneChange(target: Target, sync: SyncSeed): Prepared {
  const host = hostOf(target);
  const sign = syncSigning(target, sync);
  const path = datasetPath(sync);
  let revision = 0;
  // The recorder exists once `recorded` has wrapped the calls; failures seen before are noted there.
  const built: { prepared?: Prepared } = {};
  const list: autocannon.Request = {
    setupRequest: (_req, context) => {
      const turn = sync.records.take();
      if (!turn) built.prepared!.recorder.firstFailure ??= `every record of the dataset is being updated (${SYNC_RECORDS})`;
      context['turn'] = turn;
      // Autocannon cannot skip the first call of a sequence: without a turn the listing is still
      // sent, and the update after it is not, so it counts as no operation.
      return restRequest(host, 'GET', `${path}/records?${restQuery({ lastSyncCount: sync.records.datasetSyncCount })}`, { sign });
    },
    onResponse: (status, body, context) => {
      const turn = context['turn'] as RecordTurn | undefined;
      if (!turn) return;
      const answer = status === 200 ? (JSON.parse(body) as { SyncSessionToken?: string; DatasetSyncCount?: number }) : {};
      if (answer.SyncSessionToken) {
        context['token'] = answer.SyncSessionToken;
        sync.records.seen(answer.DatasetSyncCount ?? 0);
        return;
      }
      sync.records.giveBack(turn);
      context['turn'] = undefined;
    },
  };
  const update: autocannon.Request = {
    setupRequest: (_req, context) => {
      const turn = context['turn'] as RecordTurn | undefined;
      // No session token (the listing failed, or had no record to update): start over.
      if (!turn) return null;
      const patch = { Op: 'replace', Key: turn.key, Value: syncRecordValue(++revision), SyncCount: turn.syncCount };
      return restRequest(host, 'POST', path, { sign, body: { SyncSessionToken: context['token'], RecordPatches: [patch] } });
    },
    onResponse: (status, body, context) => {
      const turn = context['turn'] as RecordTurn | undefined;
      if (!turn) return;
      // An update is written whole or not at all: the record's new count, or its old one when refused.
      const records = status === 200 ? ((JSON.parse(body) as { Records?: { Key?: string; SyncCount?: number }[] }).Records ?? []) : [];
      sync.records.giveBack(turn, records.find((record) => record.Key === turn.key)?.SyncCount);
    },
  };
  built.prepared = recorded([list, update], target.url);
  return built.prepared;
}

/**
 * The token endpoint from discovery names the public URL (the first node's); each node of a
 * several-node target gets its own share of the load at the same path.
 */
function onNode(url: URL, target: Target): URL {
  return new URL(url.pathname + url.search, target.url);
}

function cycle<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

/** Fresh usernames for create paths: unique across runs and targets. */
function uniqueNames(prefix: string): () => string {
  const tag = randomBytes(3).toString('hex');
  let i = 0;
  return () => `${prefix}${tag}-${i++}`;
}

export const PATHS: readonly PathDef[] = [
  {
    id: 'password',
    title: 'Sign-in, USER_PASSWORD_AUTH',
    ceiling: 'password',
    prepare(target, seed) {
      if (!seed.users.ok) return seed.users;
      const bodies = seed.users.value.map((USERNAME) => ({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: seed.clientId,
        AuthParameters: { USERNAME, PASSWORD: seed.password },
      }));
      return { ok: true, value: recorded([rotating(target, 'InitiateAuth', cycle(bodies))], target.url) };
    },
  },
  {
    id: 'password-mfa',
    title: 'Sign-in, USER_PASSWORD_AUTH + SOFTWARE_TOKEN_MFA (2 calls)',
    ceiling: 'password',
    prepare(target, seed) {
      if (!seed.mfaPool.ok) return seed.mfaPool;
      const { clientId, rotation } = seed.mfaPool.value;
      const host = hostOf(target);
      // The recorder exists once `recorded` has wrapped the calls; failures seen before are noted there.
      const built: { prepared?: Prepared } = {};
      const initiate: autocannon.Request = {
        setupRequest: (_req, context) => {
          const turn = rotation.take();
          if (!turn) {
            built.prepared!.recorder.firstFailure ??= 'every MFA user has used its TOTP codes for now: seed more (totpUsersNeeded)';
          }
          context['turn'] = turn;
          // Autocannon cannot skip the first call of a sequence: without a turn the sign-in still
          // starts (for the first user), and its answer is never sent, so it counts as no operation.
          return awsJsonRequest(host, 'InitiateAuth', {
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: clientId,
            AuthParameters: { USERNAME: turn?.username ?? `${USER_PREFIX}00000`, PASSWORD: seed.password },
          });
        },
        onResponse: (status, body, context) => {
          const turn = context['turn'] as TotpTurn | undefined;
          if (!turn) return;
          const answer = status === 200 ? (JSON.parse(body) as { ChallengeName?: string; Session?: string }) : {};
          if (answer.ChallengeName === 'SOFTWARE_TOKEN_MFA' && answer.Session) {
            context['session'] = answer.Session;
            return;
          }
          rotation.release(turn);
          context['turn'] = undefined;
          if (status === 200)
            built.prepared!.recorder.firstFailure ??= `expected SOFTWARE_TOKEN_MFA, got ${answer.ChallengeName ?? 'tokens'}`;
        },
      };
      const respond: autocannon.Request = {
        setupRequest: (_req, context) => {
          const turn = context['turn'] as TotpTurn | undefined;
          // No challenge (the first call failed, or had no turn): start over with a new sign-in.
          if (!turn) return null;
          return awsJsonRequest(host, 'RespondToAuthChallenge', {
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            ClientId: clientId,
            Session: context['session'] as string,
            ChallengeResponses: { USERNAME: turn.username, SOFTWARE_TOKEN_MFA_CODE: rotation.code(turn) },
          });
        },
        onResponse: (_status, _body, context) => {
          const turn = context['turn'] as TotpTurn | undefined;
          if (turn) rotation.release(turn);
        },
      };
      built.prepared = recorded([initiate, respond], target.url);
      return { ok: true, value: built.prepared };
    },
  },
  {
    id: 'password-trigger',
    title: 'Sign-in, USER_PASSWORD_AUTH, with a pre token generation trigger (module)',
    ceiling: 'password',
    prepare(target, seed) {
      if (!seed.triggerPool.ok) return seed.triggerPool;
      const { clientId, users } = seed.triggerPool.value;
      const bodies = users.map((USERNAME) => ({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME, PASSWORD: seed.password },
      }));
      return { ok: true, value: recorded([rotating(target, 'InitiateAuth', cycle(bodies))], target.url) };
    },
  },
  {
    id: 'password-trigger-beside-hung',
    title: 'Sign-in with a pre token generation trigger (module), beside sign-ins waiting on a hung handler',
    ceiling: 'password',
    prepare(target, seed) {
      const triggered = PATHS.find((p) => p.id === 'password-trigger')!;
      return triggered.prepare(target, seed);
    },
    beside: hungSignIns,
  },
  {
    id: 'srp',
    title: 'Sign-in, USER_SRP_AUTH (2 calls)',
    ceiling: 'srp',
    prepare(target, seed) {
      if (!seed.users.ok) return seed.users;
      const host = hostOf(target);
      const nextUser = cycle(seed.users.value);
      const nextEphemeral = cycle(ephemerals(64));
      const client = new SrpClient(seed.poolId, seed.password);
      const initiate: autocannon.Request = {
        setupRequest: (_req, context) => {
          const ephemeral = nextEphemeral();
          context['ephemeral'] = ephemeral;
          return awsJsonRequest(host, 'InitiateAuth', {
            AuthFlow: 'USER_SRP_AUTH',
            ClientId: seed.clientId,
            AuthParameters: { USERNAME: nextUser(), SRP_A: ephemeral.A },
          });
        },
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          const answer = JSON.parse(body) as { ChallengeName?: string; ChallengeParameters?: VerifierChallenge; Session?: string };
          if (answer.ChallengeName !== 'PASSWORD_VERIFIER' || !answer.ChallengeParameters) return;
          context['challenge'] = answer.ChallengeParameters;
          context['session'] = answer.Session;
        },
      };
      const respond: autocannon.Request = {
        setupRequest: (_req, context) => {
          const challenge = context['challenge'] as VerifierChallenge | undefined;
          // No challenge (the first call failed): start over with a new sign-in.
          if (!challenge) return null;
          const session = context['session'] as string | undefined;
          return awsJsonRequest(host, 'RespondToAuthChallenge', {
            ChallengeName: 'PASSWORD_VERIFIER',
            ClientId: seed.clientId,
            ChallengeResponses: client.respond(context['ephemeral'] as ReturnType<typeof nextEphemeral>, challenge),
            ...(session ? { Session: session } : {}),
          });
        },
      };
      return { ok: true, value: recorded([initiate, respond], target.url) };
    },
  },
  {
    id: 'refresh',
    title: 'Refresh, REFRESH_TOKEN_AUTH',
    ceiling: 'refresh',
    prepare(target, seed) {
      if (!seed.session.ok) return seed.session;
      const body = {
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: seed.clientId,
        AuthParameters: { REFRESH_TOKEN: seed.session.value.refreshToken },
      };
      return { ok: true, value: recorded([awsJsonRequest(hostOf(target), 'InitiateAuth', body)], target.url) };
    },
  },
  {
    id: 'oauth-refresh',
    title: 'Refresh, OAuth token endpoint (grant_type=refresh_token)',
    ceiling: 'refresh',
    prepare(target, seed) {
      if (!seed.oauthSession.ok) return seed.oauthSession;
      const { tokenUrl, clientId, refreshToken } = seed.oauthSession.value;
      const url = onNode(tokenUrl, target);
      const request = formRequest(url, { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken });
      return { ok: true, value: recorded([request], url.origin) };
    },
  },
  {
    id: 'get-user',
    title: 'GetUser (access token)',
    ceiling: 'get-user',
    prepare(target, seed) {
      if (!seed.session.ok) return seed.session;
      const body = { AccessToken: seed.session.value.accessToken };
      return { ok: true, value: recorded([awsJsonRequest(hostOf(target), 'GetUser', body)], target.url) };
    },
  },
  {
    id: 'admin-get-user',
    title: 'AdminGetUser (SigV4)',
    prepare(target, seed) {
      if (!seed.users.ok) return seed.users;
      const bodies = seed.users.value.map((Username) => ({ UserPoolId: seed.poolId, Username }));
      return { ok: true, value: recorded([rotating(target, 'AdminGetUser', cycle(bodies), true)], target.url) };
    },
  },
  {
    id: 'list-users',
    title: 'ListUsers, prefix filter, 10 per page (SigV4)',
    prepare(target, seed) {
      if (!seed.users.ok) return seed.users;
      // Each prefix matches ten seeded users (bench-u-0000x, bench-u-0001x, ...).
      const bodies = Array.from({ length: 10 }, (_, d) => ({
        UserPoolId: seed.poolId,
        Filter: `username ^= "${USER_PREFIX}000${d}"`,
        Limit: 10,
      }));
      return { ok: true, value: recorded([rotating(target, 'ListUsers', cycle(bodies), true)], target.url) };
    },
  },
  {
    id: 'client-credentials',
    title: 'OAuth client_credentials',
    ceiling: 'client-credentials',
    prepare(target, seed) {
      if (!seed.clientCredentials.ok) return seed.clientCredentials;
      const { tokenUrl, clientId, clientSecret, scope } = seed.clientCredentials.value;
      const url = onNode(tokenUrl, target);
      const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
      const request = formRequest(url, { grant_type: 'client_credentials', scope }, { authorization: `Basic ${basic}` });
      return { ok: true, value: recorded([request], url.origin) };
    },
  },
  {
    id: 'sign-up',
    title: 'SignUp (new user)',
    prepare(target, seed) {
      const next = uniqueNames('bench-s-');
      return {
        ok: true,
        value: recorded(
          [rotating(target, 'SignUp', () => ({ ClientId: seed.clientId, Username: next(), Password: seed.password }))],
          target.url,
        ),
      };
    },
  },
  {
    id: 'admin-create-user',
    title: 'AdminCreateUser (SigV4)',
    prepare(target, seed) {
      const next = uniqueNames('bench-a-');
      const body = (): unknown => ({
        UserPoolId: seed.poolId,
        Username: next(),
        TemporaryPassword: `Tmp-${seed.password}`,
        MessageAction: 'SUPPRESS',
      });
      return { ok: true, value: recorded([rotating(target, 'AdminCreateUser', body, true)], target.url) };
    },
  },
  {
    id: 'identity-credentials',
    title: 'GetCredentialsForIdentity (user pool ID token)',
    ceiling: 'credentials',
    prepare(target, seed) {
      if (!seed.identityPool.ok) return seed.identityPool;
      const { identityId, logins } = seed.identityPool.value;
      const request = identityJsonRequest(hostOf(target), 'GetCredentialsForIdentity', { IdentityId: identityId, Logins: logins });
      return { ok: true, value: recorded([request], target.url) };
    },
  },
  {
    id: 'web-identity',
    title: 'STS AssumeRoleWithWebIdentity (Cognito OpenID token)',
    ceiling: 'credentials',
    prepare(target, seed) {
      if (!seed.identityPool.ok) return seed.identityPool;
      const { openIdToken, roleArn } = seed.identityPool.value;
      const url = new URL('/', target.url);
      const request = formRequest(url, {
        Action: 'AssumeRoleWithWebIdentity',
        Version: '2011-06-15',
        RoleArn: roleArn,
        RoleSessionName: 'bench',
        WebIdentityToken: openIdToken,
      });
      return { ok: true, value: recorded([request], target.url) };
    },
  },
  {
    id: 'gateway-direct',
    title: "Upstream GET, called directly (the gateway's baseline)",
    prepare(_target, seed) {
      if (!seed.gateway.ok) return seed.gateway;
      const { upstreamUrl, directPath } = seed.gateway.value;
      const request = restRequest(new URL(upstreamUrl).host, 'GET', directPath);
      return { ok: true, value: recorded([request], upstreamUrl) };
    },
  },
  {
    id: 'gateway-cognito',
    title: 'Gateway GET, COGNITO_USER_POOLS route (ID token)',
    prepare(target, seed) {
      if (!seed.gateway.ok) return seed.gateway;
      const { cognitoPath, idToken } = seed.gateway.value;
      const request = restRequest(hostOf(target), 'GET', cognitoPath, { headers: { authorization: idToken } });
      return { ok: true, value: recorded([request], target.url) };
    },
  },
  {
    id: 'gateway-iam',
    title: 'Gateway GET, AWS_IAM route (SigV4, identity credentials)',
    prepare(target, seed) {
      if (!seed.gateway.ok) return seed.gateway;
      const { iamPath, credentials } = seed.gateway.value;
      const sign = { signer: { credentials, region: target.region }, service: 'execute-api' };
      // Signed once as the path starts (well inside SigV4's 5 minutes) and sent unchanged, so wrk
      // can send it: the gateway checks the signature and the role's policies on every request all
      // the same (SigV4 keeps no replay cache, at AWS or here), and the gateway paths' latencies,
      // subtracted from each other, all come from one load generator.
      return { ok: true, value: recorded([restRequest(hostOf(target), 'GET', iamPath, { sign })], target.url) };
    },
  },
  {
    id: 'sync-list-records',
    title: `Cognito Sync ListRecords, all ${SYNC_RECORDS.toLocaleString('en-US')} records of a dataset (SigV4, identity credentials)`,
    prepare(target, seed) {
      if (!seed.sync.ok) return seed.sync;
      const sync = seed.sync.value;
      const host = hostOf(target);
      const sign = syncSigning(target, sync);
      return {
        ok: true,
        value: recorded([perRequest(() => restRequest(host, 'GET', `${datasetPath(sync)}/records`, { sign }))], target.url),
      };
    },
  },
  {
    id: 'sync-update-records',
    title: `Cognito Sync, one record changed in a ${SYNC_RECORDS.toLocaleString('en-US')}-record dataset: ListRecords since the last sync + UpdateRecords (2 calls)`,
    prepare(target, seed) {
      if (!seed.sync.ok) return seed.sync;
      return { ok: true, value: syncOneChange(target, seed.sync.value) };
    },
  },
];
