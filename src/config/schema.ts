/**
 * Cognate's configuration: every setting, its environment variable, its default and what it does.
 * This is the one place settings are documented; docs/configuration.md is generated from it.
 */
import type { GatewayApi } from '../domain/gateway.js';

export interface AdminKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/**
 * Where a Lambda function's code runs, as the `functions` setting maps it. `file` is absolute:
 * relative paths in the setting were resolved against the folder of the file that holds them.
 */
export type FunctionTarget =
  { kind: 'module'; file: string; exportName: string } | { kind: 'url'; url: string } | { kind: 'lambdaEndpoint'; endpoint: string };

export interface Config {
  /** Interface to listen on. Loopback by default, so nothing is exposed by accident. */
  host: string;
  port: number;
  /** Base URL clients reach this server at; the default token issuer is `${publicUrl}/${poolId}`. */
  publicUrl: string;
  /** `postgres://...` for PostgreSQL; otherwise a SQLite file path (`sqlite:` prefix optional). */
  databaseUrl: string;
  /** Where the SQLite file and the master key file live. */
  dataDir: string;
  /** The region served: SigV4 scopes must name it; new pool IDs (`<region>_<id>`) and ARNs carry it. */
  region: string;
  /** AWS account ID used in ARNs. */
  accountId: string;
  /** `server`: iss = `${publicUrl}/${poolId}`; `aws`: iss = `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  issuerStyle: 'server' | 'aws';
  /** SigV4 key pairs accepted on admin operations. */
  adminKeys: AdminKeyPair[];
  /** Base64 of 32 bytes; when absent, `${dataDir}/master.key` is created on first start. */
  masterKey: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * The level of the one log line per answered request (method, route or operation, status,
   * duration, request id). Below `logLevel` it is not written, and then costs nothing.
   */
  requestLogLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Serve Prometheus metrics at `/metrics`. */
  metrics: boolean;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Keep delivered codes in the local inbox (readable by admins and the CLI), also when a sender delivers them. */
  inbox: boolean;
  /** `smtp://` or `smtps://` URL of the mail server that delivers email; none keeps email in the inbox only. */
  smtpUrl: string | undefined;
  /** The From address of email for pools that name none (Cognito's default sender's address). */
  emailFrom: string;
  /** URL that SMS messages are POSTed to as JSON (`{phoneNumber, message, ...}`); exclusive with `snsEndpoint`. */
  smsWebhookUrl: string | undefined;
  /** An SNS-compatible endpoint (AWS SNS, LocalStack) that SMS messages are published to with a signed `Publish`. */
  snsEndpoint: string | undefined;
  /**
   * Milliseconds one delivery (SMTP connection and transfer, SMS call) may take before the request
   * fails with CodeDeliveryFailureException: a slow or silent server never holds a request longer.
   */
  deliveryTimeout: number;
  /** Parent domain of prefix domains: `<prefix>.<loginDomain>` reaches that pool's managed login. */
  loginDomain: string;
  /** PEM certificate chain file; with `tlsKey`, the server speaks HTTPS only. */
  tlsCert: string | undefined;
  /** PEM private key file of `tlsCert`. */
  tlsKey: string | undefined;
  /** Processes serving the port (node:cluster); 1 serves from the starting process itself. */
  workers: number;
  /**
   * Milliseconds a connection gets to send a request's complete headers (counted from its first
   * byte, or from the connection for a new one; on HTTPS the TLS handshake gets as long again).
   * Bounds slowloris-style holds that trickle headers or send nothing.
   */
  headersTimeout: number;
  /** Milliseconds a connection gets to send a whole request, headers and body; at least `headersTimeout`. */
  requestTimeout: number;
  /** Milliseconds an idle keep-alive connection is kept open between requests. */
  keepAliveTimeout: number;
  /** Open connections one server process accepts; further ones are closed at once. */
  maxConnections: number;
  /**
   * Browser origins (`https://console.example.com`) allowed to make admin (SigV4) calls and to
   * reach `/_cognate/*` cross-origin. Public operations are open to every origin, as on AWS.
   */
  adminOrigins: string[];
  /**
   * Believe the one proxy in front (TLS-terminating) about the request: its `X-Forwarded-Proto`
   * (https links, Secure cookies, HSTS), `X-Forwarded-Host` (which still has to be a known host)
   * and `X-Forwarded-For` (the client's address). Off, those headers are ignored.
   */
  trustProxy: boolean;
  /**
   * Milliseconds a query waits for the database before the request fails with a retryable
   * InternalErrorException: SQLite's wait for another process's write lock, PostgreSQL's wait for
   * a pooled connection.
   */
  databaseBusyTimeout: number;
  /** PostgreSQL: named prepared statements (off behind a pooler in transaction mode). */
  databasePreparedStatements: boolean;
  /** Record sign-ins, lockouts, password changes and admin changes in the audit log. */
  audit: boolean;
  /** Days audit events are kept in the database before housekeeping deletes them. */
  auditRetentionDays: number;
  /**
   * The file that pools' log delivery configurations (SetLogDeliveryConfiguration) deliver to, as
   * JSON lines tagged with the destination's ARN; none delivers nothing.
   */
  logDeliveryFile: string | undefined;
  /**
   * The file Cognito Sync's BulkPublish writes an identity pool's records to, as JSON lines (in
   * place of the pool's Kinesis stream); none makes a bulk publish fail, saying so.
   */
  syncBulkPublishFile: string | undefined;
  /**
   * The URL Cognito Sync's push notifications are POSTed to, one per subscribed device (in place of
   * SNS); none sends none.
   */
  syncPushWebhook: string | undefined;
  /**
   * Where the functions named in pools' `LambdaConfig` run, keyed by function name or full ARN
   * (an ARN is looked up whole first, then by its function name).
   */
  functions: ReadonlyMap<string, FunctionTarget>;
  /** Trigger invocations remembered per user pool (the oldest is dropped), for developers to read. */
  invocationLogSize: number;
  /**
   * Refuse role ARNs that no IAM role defines. Off: such an ARN behaves as a role with Cognito's
   * standard trust policy and no permissions.
   */
  strictIamRoles: boolean;
  /** The key set (JWKS) Google's ID tokens are verified against, for identity pools' `accounts.google.com` logins. */
  socialGoogleUrl: string;
  /** The key set (JWKS) Sign in with Apple's ID tokens are verified against, for `appleid.apple.com` logins. */
  socialAppleUrl: string;
  /** Facebook's Graph API, which `graph.facebook.com` logins' access tokens are checked against. */
  socialFacebookUrl: string;
  /** Login with Amazon's token information endpoint, which `www.amazon.com` logins' access tokens are checked against. */
  socialAmazonUrl: string;
  /** An apply document (see `cognate apply`) applied at every start, before the server listens. */
  applyOnStart: string | undefined;
  /** The APIs the gateway serves (`/_api/<id>/<stage>/...`), checked whole at start. */
  gatewayApis: readonly GatewayApi[];
  /** Milliseconds the gateway waits for an upstream's answer before 504 (API Gateway's 29 s by default). */
  gatewayTimeout: number;
  /** Parent domain of the gateway's hosts: `<apiId>.execute-api.<gatewayDomain>` reaches that API. */
  gatewayDomain: string;
  /** A password that signs in to the admin console at `/_cognate/console`, besides admin key pairs. */
  consolePassword: string | undefined;
}

export interface SettingDoc {
  key: keyof Config;
  env: string;
  description: string;
  default: string;
}

/** The key pair accepted while the server is bound to loopback and no keys are configured. */
export const LOCAL_ADMIN_KEY: AdminKeyPair = { accessKeyId: 'local', secretAccessKey: 'local' };

export const SETTINGS: readonly SettingDoc[] = [
  { key: 'host', env: 'COGNATE_HOST', default: '127.0.0.1', description: 'Interface to listen on.' },
  { key: 'port', env: 'COGNATE_PORT', default: '9229', description: 'TCP port to listen on (0 picks a free one).' },
  {
    key: 'publicUrl',
    env: 'COGNATE_PUBLIC_URL',
    default: 'http://<host>:<port>',
    description: 'Base URL clients use; the default issuer is `<publicUrl>/<poolId>`.',
  },
  {
    key: 'databaseUrl',
    env: 'COGNATE_DATABASE_URL',
    default: 'sqlite:<dataDir>/cognate.db',
    description: '`postgres://user:pass@host/db` for PostgreSQL, otherwise a SQLite file.',
  },
  { key: 'dataDir', env: 'COGNATE_DATA_DIR', default: './data', description: 'Folder for the SQLite database and the master key file.' },
  {
    key: 'region',
    env: 'COGNATE_REGION',
    default: 'us-east-1',
    description: 'The region the server serves: admin calls must be signed for it, and new pool IDs and ARNs carry it.',
  },
  { key: 'accountId', env: 'COGNATE_ACCOUNT_ID', default: '000000000000', description: 'Account ID in ARNs.' },
  {
    key: 'issuerStyle',
    env: 'COGNATE_ISSUER_STYLE',
    default: 'server',
    description:
      '`server` or `aws` (`https://cognito-idp.<region>.amazonaws.com/<poolId>`, for CognitoJwtVerifier and Amplify identity pools).',
  },
  {
    key: 'adminKeys',
    env: 'COGNATE_ADMIN_KEYS',
    default: '`local:local` on loopback, else generated on first start',
    description: 'SigV4 key pairs for admin operations, `ACCESS_KEY_ID:SECRET` separated by commas.',
  },
  {
    key: 'masterKey',
    env: 'COGNATE_MASTER_KEY',
    default: '`<dataDir>/master.key`, created on first start',
    description: 'Base64 of 32 bytes; seals signing keys, client secrets and other secrets at rest.',
  },
  { key: 'logLevel', env: 'COGNATE_LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent.' },
  {
    key: 'requestLogLevel',
    env: 'COGNATE_REQUEST_LOG_LEVEL',
    default: 'debug',
    description:
      'Level of the one line logged per request (method, route or operation, status, duration, request id); written when `logLevel` lets it through, so `info` here shows every request at the default log level.',
  },
  {
    key: 'metrics',
    env: 'COGNATE_METRICS',
    default: 'true',
    description: 'Serve Prometheus metrics at `/metrics` (see docs/operations.md); `false` answers 404 there.',
  },
  { key: 'bodyLimit', env: 'COGNATE_BODY_LIMIT', default: '1048576', description: 'Largest request body in bytes.' },
  {
    key: 'inbox',
    env: 'COGNATE_INBOX',
    default: 'true',
    description: 'Keep delivered codes in the local inbox for developers and tests, also when SMTP or an SMS sender delivers them.',
  },
  {
    key: 'smtpUrl',
    env: 'COGNATE_SMTP_URL',
    default: '(none)',
    description:
      '`smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://...:465` of the mail server that delivers email (nodemailer options may follow as a query, `?tls.rejectUnauthorized=false`); none keeps email in the inbox only.',
  },
  {
    key: 'emailFrom',
    env: 'COGNATE_EMAIL_FROM',
    default: 'no-reply@verificationemail.com',
    description: 'From address of email for pools whose `EmailConfiguration` names none (no `From`, no SES identity email in `SourceArn`).',
  },
  {
    key: 'smsWebhookUrl',
    env: 'COGNATE_SMS_WEBHOOK_URL',
    default: '(none)',
    description:
      'URL that SMS messages are POSTed to as JSON `{"phoneNumber", "message", "userPoolId", "username", "purpose"}`; a non-2xx answer is a failed delivery.',
  },
  {
    key: 'snsEndpoint',
    env: 'COGNATE_SNS_ENDPOINT',
    default: '(none)',
    description:
      "SNS-compatible endpoint (`https://sns.us-east-1.amazonaws.com`, LocalStack's `http://localhost:4566`) that SMS messages are sent to with a `Publish` call, SigV4-signed for `region` with the `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (/ `AWS_SESSION_TOKEN`) of the environment, LocalStack's `test` pair without them.",
  },
  {
    key: 'deliveryTimeout',
    env: 'COGNATE_DELIVERY_TIMEOUT',
    default: '5000',
    description:
      'Milliseconds one email or SMS delivery may take (connecting, greeting, sending) before the request answers `CodeDeliveryFailureException`.',
  },
  {
    key: 'loginDomain',
    env: 'COGNATE_LOGIN_DOMAIN',
    default: 'auth.localhost',
    description: "Parent domain of prefix domains: `Host: <prefix>.<loginDomain>` reaches that pool's managed login and OAuth endpoints.",
  },
  {
    key: 'tlsCert',
    env: 'COGNATE_TLS_CERT',
    default: '(none)',
    description: 'PEM certificate chain file; with `tlsKey` set, the server speaks HTTPS.',
  },
  { key: 'tlsKey', env: 'COGNATE_TLS_KEY', default: '(none)', description: 'PEM private key file for `tlsCert`.' },
  {
    key: 'workers',
    env: 'COGNATE_WORKERS',
    default: '1',
    description:
      'Server processes sharing the port, each a stateless node over the same database; `auto` runs one per CPU. Above 1, `cognate start` supervises them and restarts one that dies.',
  },
  {
    key: 'headersTimeout',
    env: 'COGNATE_HEADERS_TIMEOUT',
    default: '10000',
    description:
      'Milliseconds a connection has to send complete request headers (and, on HTTPS, as long again for the TLS handshake); then it is answered 408 and closed.',
  },
  {
    key: 'requestTimeout',
    env: 'COGNATE_REQUEST_TIMEOUT',
    default: '30000',
    description: 'Milliseconds a connection has to send a whole request, body included (at least `headersTimeout`); then 408 and closed.',
  },
  {
    key: 'keepAliveTimeout',
    env: 'COGNATE_KEEP_ALIVE_TIMEOUT',
    default: '72000',
    description:
      'Milliseconds an idle keep-alive connection stays open. Above the 60 s idle timeout of common load balancers, so the balancer, not Cognate, closes first.',
  },
  {
    key: 'maxConnections',
    env: 'COGNATE_MAX_CONNECTIONS',
    default: '1000',
    description: 'Open connections each server process (each worker) accepts; connections beyond it are closed at once.',
  },
  {
    key: 'adminOrigins',
    env: 'COGNATE_ADMIN_ORIGINS',
    default: '(none)',
    description:
      'Browser origins allowed to make admin (SigV4) calls and reach `/_cognate/*` cross-origin, separated by commas (file: a list). Public operations (SignUp, InitiateAuth, GetUser, ...) answer every origin.',
  },
  {
    key: 'trustProxy',
    env: 'COGNATE_TRUST_PROXY',
    default: 'false',
    description:
      "Trust the one TLS-terminating proxy in front: take the scheme, host and client address from its last `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-For` entries (the host must still be a known one). Off, they are ignored. The issuer stays `publicUrl`'s: set it to the proxy's URL.",
  },
  {
    key: 'databaseBusyTimeout',
    env: 'COGNATE_DATABASE_BUSY_TIMEOUT',
    default: '5000',
    description:
      "Milliseconds a query waits for the database (SQLite: another process's write lock; PostgreSQL: a pooled connection) before the request fails with a retryable `InternalErrorException`.",
  },
  {
    key: 'databasePreparedStatements',
    env: 'COGNATE_DATABASE_PREPARED_STATEMENTS',
    default: 'true',
    description:
      'PostgreSQL: run each statement as a named prepared statement, parsed and planned once per connection. Set `false` behind a pooler in transaction mode (pgbouncer before 1.21, or without `max_prepared_statements`), which does not keep them.',
  },
  {
    key: 'audit',
    env: 'COGNATE_AUDIT',
    default: 'true',
    description:
      'Record sign-ins, lockouts, password changes and resets, and admin changes as audit events: one log line each and a row in the database.',
  },
  {
    key: 'auditRetentionDays',
    env: 'COGNATE_AUDIT_RETENTION_DAYS',
    default: '90',
    description: 'Days audit events stay in the database before housekeeping deletes them.',
  },
  {
    key: 'logDeliveryFile',
    env: 'COGNATE_LOG_DELIVERY_FILE',
    default: '(none)',
    description:
      "The file pools' log delivery configurations (`SetLogDeliveryConfiguration`) deliver to: each user activity event (`userAuthEvents`) and message delivery error (`userNotification`) is appended as one JSON line naming the configured destination's ARN. None delivers nothing; the configurations are still stored and answered. Needs `audit` on.",
  },
  {
    key: 'syncBulkPublishFile',
    env: 'COGNATE_SYNC_BULK_PUBLISH_FILE',
    default: '(none)',
    description:
      "The file Cognito Sync's `BulkPublish` writes an identity pool's records to, one JSON line per record (in place of the pool's Kinesis stream of `CognitoStreams`). None makes a bulk publish end `FAILED`, saying so.",
  },
  {
    key: 'syncPushWebhook',
    env: 'COGNATE_SYNC_PUSH_WEBHOOK',
    default: '(none)',
    description:
      'URL that Cognito Sync\'s push notifications are POSTed to as JSON `{"platform", "token", "deviceId", "message": {"data": {"source": "cognito-sync", "type": "push-sync", "identityPoolId", "identityId", "datasetName", "syncCount"}}}`, one per device subscribed to the changed dataset (SubscribeToDataset), in place of SNS. None sends none.',
  },
  {
    key: 'functions',
    env: 'COGNATE_FUNCTIONS',
    default: '(none)',
    description:
      'Where the Lambda functions of pools\' `LambdaConfig` run: a JSON object (or the path of a JSON file) from a function name or full ARN to `{"module": "./file.mjs#export"}`, `{"url": "http://..."}` or `{"lambdaEndpoint": "http://..."}`. Relative module paths start from the folder of the file that holds them (the current folder for inline JSON in the variable).',
  },
  {
    key: 'invocationLogSize',
    env: 'COGNATE_INVOCATION_LOG_SIZE',
    default: '100',
    description:
      'Trigger invocations kept per user pool in the database (function, trigger source, duration, outcome, captured logs; never the event), read with `cognate invocations --pool <id>`.',
  },
  {
    key: 'strictIamRoles',
    env: 'COGNATE_STRICT_IAM_ROLES',
    default: 'false',
    description:
      "Refuse a role ARN that no IAM role (created with Cognate's IAM API) defines; off, such an ARN behaves as a role with Cognito's standard trust policy and no permissions.",
  },
  {
    key: 'socialGoogleUrl',
    env: 'COGNATE_SOCIAL_GOOGLE_URL',
    default: 'https://www.googleapis.com/oauth2/v3/certs',
    description:
      "The key set (JWKS) that Google ID tokens in an identity pool's `accounts.google.com` logins are verified against; change it only to point tests at a local issuer.",
  },
  {
    key: 'socialAppleUrl',
    env: 'COGNATE_SOCIAL_APPLE_URL',
    default: 'https://appleid.apple.com/auth/keys',
    description:
      "The key set (JWKS) that Sign in with Apple ID tokens in an identity pool's `appleid.apple.com` logins are verified against; change it only to point tests at a local issuer.",
  },
  {
    key: 'socialFacebookUrl',
    env: 'COGNATE_SOCIAL_FACEBOOK_URL',
    default: 'https://graph.facebook.com',
    description:
      "Facebook's Graph API (`/me` and `/app`), which access tokens in an identity pool's `graph.facebook.com` logins are checked against; change it only to point tests at a local server.",
  },
  {
    key: 'socialAmazonUrl',
    env: 'COGNATE_SOCIAL_AMAZON_URL',
    default: 'https://api.amazon.com/auth/o2/tokeninfo',
    description:
      "Login with Amazon's token information endpoint, which access tokens in an identity pool's `www.amazon.com` logins are checked against; change it only to point tests at a local server.",
  },
  {
    key: 'applyOnStart',
    env: 'COGNATE_APPLY',
    default: '(none)',
    description:
      'A declarative setup file (YAML or JSON, as `cognate apply` reads) applied at every start before the server listens (by the first worker under `workers`); a bad file fails the start with its problems. Relative paths start from the current folder.',
  },
  {
    key: 'gatewayApis',
    env: 'COGNATE_GATEWAY_APIS',
    default: '(none)',
    description:
      'The API gateway\'s APIs (README, "API gateway"): a list (in the variable, JSON) of `{"id", "upstream", "stages", "routes", "cors"}`, each route `{"method", "path", "authorizer"}` with `method` GET, POST, ... or ANY, `path` with `{name}` and a last `{proxy+}`, and `authorizer` `{"type": "COGNITO_USER_POOLS", "userPoolIds": [...], "scopes": [...]}`, `{"type": "AWS_IAM"}` or `{"type": "NONE"}`. Served at `<publicUrl>/_api/<id>/<stage>/...` and by host `<id>.execute-api.<gatewayDomain>`. `cognate gateway put` stores more, or replaces one by id.',
  },
  {
    key: 'gatewayTimeout',
    env: 'COGNATE_GATEWAY_TIMEOUT',
    default: '29000',
    description:
      "Milliseconds the gateway waits for an upstream's headers (and between its body's chunks) before answering 504 `Endpoint request timed out`, as API Gateway's 29 s integration timeout.",
  },
  {
    key: 'gatewayDomain',
    env: 'COGNATE_GATEWAY_DOMAIN',
    default: 'localhost',
    description:
      "Parent domain of the gateway's hosts: `Host: <apiId>.execute-api.<gatewayDomain>` reaches that API, its stage first in the path.",
  },
  {
    key: 'consolePassword',
    env: 'COGNATE_CONSOLE_PASSWORD',
    default: '(none)',
    description:
      'A password that signs in to the admin console at `/_cognate/console`, besides any admin key pair (access key ID and secret). None: only key pairs sign in.',
  },
];
