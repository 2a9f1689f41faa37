/**
 * Cognate's configuration: every setting, its environment variable, its default and what it does.
 * This is the one place settings are documented; docs/configuration.md is generated from it.
 */
export interface AdminKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

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
  /** Region used in new pool IDs (`<region>_<id>`) and ARNs. */
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
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Keep delivered codes in the local inbox (readable by admins and the CLI). */
  inbox: boolean;
  /** Parent domain of prefix domains: `<prefix>.<loginDomain>` reaches that pool's managed login. */
  loginDomain: string;
  /** PEM certificate chain file; with `tlsKey`, the server speaks HTTPS only. */
  tlsCert: string | undefined;
  /** PEM private key file of `tlsCert`. */
  tlsKey: string | undefined;
  /** Processes serving the port (node:cluster); 1 serves from the starting process itself. */
  workers: number;
  /**
   * Milliseconds a query waits for the database before the request fails with a retryable
   * InternalErrorException: SQLite's wait for another process's write lock, PostgreSQL's wait for
   * a pooled connection.
   */
  databaseBusyTimeout: number;
  /** Record sign-ins, lockouts, password changes and admin changes in the audit log. */
  audit: boolean;
  /** Days audit events are kept in the database before housekeeping deletes them. */
  auditRetentionDays: number;
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
  { key: 'region', env: 'COGNATE_REGION', default: 'us-east-1', description: 'Region in new pool IDs and ARNs.' },
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
  { key: 'bodyLimit', env: 'COGNATE_BODY_LIMIT', default: '1048576', description: 'Largest request body in bytes.' },
  { key: 'inbox', env: 'COGNATE_INBOX', default: 'true', description: 'Keep delivered codes in the local inbox for developers and tests.' },
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
    key: 'databaseBusyTimeout',
    env: 'COGNATE_DATABASE_BUSY_TIMEOUT',
    default: '5000',
    description:
      "Milliseconds a query waits for the database (SQLite: another process's write lock; PostgreSQL: a pooled connection) before the request fails with a retryable `InternalErrorException`.",
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
];
