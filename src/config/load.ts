import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { parseFunctions } from './functions.js';
import { SETTINGS, type AdminKeyPair, type Config } from './schema.js';
import { isServiceLink } from './service-links.js';
import { GatewayDefinitionError, parseGatewayApis, type GatewayApi } from '../domain/gateway.js';

export { ConfigError };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type RawConfig = Partial<Record<keyof Config, unknown>>;

/** An hour: longer timeouts would bring back the held connections they are there to end. */
const MAX_TIMEOUT_MS = 3_600_000;

/** More processes than this only multiplies memory and database connections. */
const MAX_WORKERS = 64;

function parseAdminKeys(value: unknown, source: string): AdminKeyPair[] {
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf(':');
        if (at <= 0 || at === pair.length - 1) throw new ConfigError(`${source}: expected ACCESS_KEY_ID:SECRET pairs`);
        return { accessKeyId: pair.slice(0, at), secretAccessKey: pair.slice(at + 1) };
      });
  }
  if (Array.isArray(value)) {
    return value.map((item) => {
      const pair = item as Partial<AdminKeyPair>;
      if (typeof pair.accessKeyId !== 'string' || typeof pair.secretAccessKey !== 'string') {
        throw new ConfigError(`${source}: each admin key needs accessKeyId and secretAccessKey strings`);
      }
      return { accessKeyId: pair.accessKeyId, secretAccessKey: pair.secretAccessKey };
    });
  }
  throw new ConfigError(`${source}: expected a list of key pairs`);
}

/** A URL of one of the `protocols` (`smtp:`, `https:`), kept as written. */
function serviceUrl(value: unknown, protocols: readonly string[], source: string): string {
  const text = str(value, source);
  let protocol: string | undefined;
  try {
    protocol = new URL(text).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === undefined || !protocols.includes(protocol)) {
    throw new ConfigError(`${source}: expected a ${protocols.map((p) => `${p}//`).join(' or ')} URL`);
  }
  return text;
}

function str(value: unknown, source: string): string {
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${source}: expected a non-empty string`);
  return value;
}

function int(value: unknown, source: string, min: number, max: number): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${source}: expected an integer from ${min} to ${max}`);
  }
  return n;
}

/** `auto` (one per CPU the process may use) or a count. */
function workerCount(value: unknown, source: string): number {
  if (value === 'auto') return Math.min(availableParallelism(), MAX_WORKERS);
  try {
    return int(value, source, 1, MAX_WORKERS);
  } catch {
    throw new ConfigError(`${source}: expected auto or an integer from 1 to ${MAX_WORKERS}`);
  }
}

/**
 * Browser origins, as the `Origin` header spells them: `scheme://host[:port]`, no path and no
 * wildcard (an admin key must never be usable from every site).
 */
function origins(value: unknown, source: string): string[] {
  const list =
    typeof value === 'string'
      ? value
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
      : value;
  if (!Array.isArray(list)) throw new ConfigError(`${source}: expected origins separated by commas, or a list`);
  return list.map((item: unknown) => {
    const text = typeof item === 'string' ? item.replace(/\/$/, '') : '';
    let origin: string | undefined;
    try {
      origin = new URL(text).origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined || !/^https?:\/\//.test(origin) || origin !== text.toLowerCase()) {
      throw new ConfigError(`${source}: ${JSON.stringify(item)} is not an origin like https://console.example.com`);
    }
    return origin;
  });
}

function bool(value: unknown, source: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${source}: expected true or false`);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], source: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${source}: expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** The gateway's APIs: a list in the file, JSON in the variable, each checked whole. */
function gatewayApis(value: unknown, source: string): GatewayApi[] {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch (error) {
      throw new ConfigError(`${source}: ${(error as Error).message}`);
    }
  }
  try {
    return parseGatewayApis(list);
  } catch (error) {
    if (error instanceof GatewayDefinitionError) throw new ConfigError(`${source}${error.message.replace(/^gatewayApis/, '')}`);
    throw error;
  }
}

export interface LoadOptions {
  /** Told about what is ignored (Kubernetes service links); standard error by default. */
  warn?: (message: string) => void;
}

function warnOnStderr(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

/**
 * Builds the configuration from defaults, an optional JSON file (`COGNATE_CONFIG` or `file`) and
 * `COGNATE_*` environment variables, in that order of precedence (environment wins). Unknown keys
 * in the file and unknown `COGNATE_*` variables are rejected, so a typo never silently does nothing;
 * the variables Kubernetes writes for a Service named `cognate` are ignored, with a warning.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: RawConfig = {}, options: LoadOptions = {}): Config {
  const raw: RawConfig = {};
  const sources: Partial<Record<keyof Config, string>> = {};
  const file = env['COGNATE_CONFIG'];
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${file}: expected a JSON object`);
    for (const [key, value] of Object.entries(parsed)) {
      if (!SETTINGS.some((s) => s.key === key)) throw new ConfigError(`${file}: unknown setting "${key}"`);
      raw[key as keyof Config] = value;
      sources[key as keyof Config] = `${file}: ${key}`;
    }
  }
  const known = new Set(['COGNATE_CONFIG', ...SETTINGS.map((s) => s.env)]);
  const links = Object.keys(env).filter((name) => isServiceLink(name, env[name]));
  for (const name of Object.keys(env)) {
    if (name.startsWith('COGNATE_') && !known.has(name) && !links.includes(name)) {
      throw new ConfigError(`unknown environment variable ${name}`);
    }
  }
  if (links.length > 0) {
    (options.warn ?? warnOnStderr)(
      `ignoring Kubernetes service variables ${links.sort().join(', ')} (set enableServiceLinks: false in the pod spec to drop them)`,
    );
  }
  for (const setting of SETTINGS) {
    const value = env[setting.env];
    if (value !== undefined && !links.includes(setting.env)) {
      raw[setting.key] = value;
      sources[setting.key] = setting.env;
    }
  }
  Object.assign(raw, overrides);
  const src = (key: keyof Config): string => sources[key] ?? key;
  // Paths in the config file are relative to it, so the file and its handlers can move together.
  const fromFile = (key: keyof Config): boolean => file !== undefined && overrides[key] === undefined && sources[key] === `${file}: ${key}`;

  const host = raw.host === undefined ? '127.0.0.1' : str(raw.host, src('host'));
  const port = raw.port === undefined ? 9229 : int(raw.port, src('port'), 0, 65535);
  const dataDir = resolve(raw.dataDir === undefined ? './data' : str(raw.dataDir, src('dataDir')));
  const socialUrl = (key: keyof Config, fallback: string): string =>
    raw[key] === undefined ? fallback : serviceUrl(raw[key], ['http:', 'https:'], src(key));
  const config: Config = {
    host,
    port,
    publicUrl: raw.publicUrl === undefined ? '' : str(raw.publicUrl, src('publicUrl')).replace(/\/+$/, ''),
    databaseUrl: raw.databaseUrl === undefined ? `sqlite:${join(dataDir, 'cognate.db')}` : str(raw.databaseUrl, src('databaseUrl')),
    dataDir,
    region: raw.region === undefined ? 'us-east-1' : str(raw.region, src('region')),
    accountId: raw.accountId === undefined ? '000000000000' : str(raw.accountId, src('accountId')),
    issuerStyle: raw.issuerStyle === undefined ? 'server' : oneOf(raw.issuerStyle, ['server', 'aws'] as const, src('issuerStyle')),
    adminKeys: raw.adminKeys === undefined ? [] : parseAdminKeys(raw.adminKeys, src('adminKeys')),
    masterKey: raw.masterKey === undefined ? undefined : str(raw.masterKey, src('masterKey')),
    logLevel: raw.logLevel === undefined ? 'info' : oneOf(raw.logLevel, LOG_LEVELS, src('logLevel')),
    requestLogLevel: raw.requestLogLevel === undefined ? 'debug' : oneOf(raw.requestLogLevel, LOG_LEVELS, src('requestLogLevel')),
    metrics: raw.metrics === undefined ? true : bool(raw.metrics, src('metrics')),
    bodyLimit: raw.bodyLimit === undefined ? 1_048_576 : int(raw.bodyLimit, src('bodyLimit'), 1024, 64 * 1_048_576),
    inbox: raw.inbox === undefined ? true : bool(raw.inbox, src('inbox')),
    smtpUrl: raw.smtpUrl === undefined ? undefined : serviceUrl(raw.smtpUrl, ['smtp:', 'smtps:'], src('smtpUrl')),
    emailFrom: raw.emailFrom === undefined ? 'no-reply@verificationemail.com' : str(raw.emailFrom, src('emailFrom')),
    smsWebhookUrl: raw.smsWebhookUrl === undefined ? undefined : serviceUrl(raw.smsWebhookUrl, ['http:', 'https:'], src('smsWebhookUrl')),
    snsEndpoint: raw.snsEndpoint === undefined ? undefined : serviceUrl(raw.snsEndpoint, ['http:', 'https:'], src('snsEndpoint')),
    deliveryTimeout: raw.deliveryTimeout === undefined ? 5000 : int(raw.deliveryTimeout, src('deliveryTimeout'), 1, 600_000),
    loginDomain: raw.loginDomain === undefined ? 'auth.localhost' : str(raw.loginDomain, src('loginDomain')).toLowerCase(),
    tlsCert: raw.tlsCert === undefined ? undefined : str(raw.tlsCert, src('tlsCert')),
    tlsKey: raw.tlsKey === undefined ? undefined : str(raw.tlsKey, src('tlsKey')),
    workers: raw.workers === undefined ? 1 : workerCount(raw.workers, src('workers')),
    headersTimeout: raw.headersTimeout === undefined ? 10_000 : int(raw.headersTimeout, src('headersTimeout'), 1, MAX_TIMEOUT_MS),
    requestTimeout: raw.requestTimeout === undefined ? 30_000 : int(raw.requestTimeout, src('requestTimeout'), 1, MAX_TIMEOUT_MS),
    keepAliveTimeout: raw.keepAliveTimeout === undefined ? 72_000 : int(raw.keepAliveTimeout, src('keepAliveTimeout'), 1, MAX_TIMEOUT_MS),
    maxConnections: raw.maxConnections === undefined ? 1000 : int(raw.maxConnections, src('maxConnections'), 1, 1_000_000),
    adminOrigins: raw.adminOrigins === undefined ? [] : origins(raw.adminOrigins, src('adminOrigins')),
    trustProxy: raw.trustProxy === undefined ? false : bool(raw.trustProxy, src('trustProxy')),
    databaseBusyTimeout:
      raw.databaseBusyTimeout === undefined ? 5000 : int(raw.databaseBusyTimeout, src('databaseBusyTimeout'), 1, 600_000),
    databasePreparedStatements:
      raw.databasePreparedStatements === undefined ? true : bool(raw.databasePreparedStatements, src('databasePreparedStatements')),
    audit: raw.audit === undefined ? true : bool(raw.audit, src('audit')),
    auditRetentionDays: raw.auditRetentionDays === undefined ? 90 : int(raw.auditRetentionDays, src('auditRetentionDays'), 1, 3650),
    logDeliveryFile: raw.logDeliveryFile === undefined ? undefined : resolve(str(raw.logDeliveryFile, src('logDeliveryFile'))),
    syncPushWebhook:
      raw.syncPushWebhook === undefined ? undefined : serviceUrl(raw.syncPushWebhook, ['http:', 'https:'], src('syncPushWebhook')),
    syncBulkPublishFile:
      raw.syncBulkPublishFile === undefined ? undefined : resolve(str(raw.syncBulkPublishFile, src('syncBulkPublishFile'))),
    functions:
      raw.functions === undefined
        ? new Map()
        : parseFunctions(raw.functions, src('functions'), fromFile('functions') && file ? dirname(resolve(file)) : process.cwd()),
    invocationLogSize: raw.invocationLogSize === undefined ? 100 : int(raw.invocationLogSize, src('invocationLogSize'), 0, 10_000),
    strictIamRoles: raw.strictIamRoles === undefined ? false : bool(raw.strictIamRoles, src('strictIamRoles')),
    socialGoogleUrl: socialUrl('socialGoogleUrl', 'https://www.googleapis.com/oauth2/v3/certs'),
    socialAppleUrl: socialUrl('socialAppleUrl', 'https://appleid.apple.com/auth/keys'),
    socialFacebookUrl: socialUrl('socialFacebookUrl', 'https://graph.facebook.com').replace(/\/+$/, ''),
    socialAmazonUrl: socialUrl('socialAmazonUrl', 'https://api.amazon.com/auth/o2/tokeninfo'),
    applyOnStart: raw.applyOnStart === undefined ? undefined : resolve(str(raw.applyOnStart, src('applyOnStart'))),
    gatewayApis: raw.gatewayApis === undefined ? [] : gatewayApis(raw.gatewayApis, src('gatewayApis')),
    gatewayTimeout: raw.gatewayTimeout === undefined ? 29_000 : int(raw.gatewayTimeout, src('gatewayTimeout'), 1, MAX_TIMEOUT_MS),
    gatewayDomain: raw.gatewayDomain === undefined ? 'localhost' : str(raw.gatewayDomain, src('gatewayDomain')).toLowerCase(),
    consolePassword: raw.consolePassword === undefined ? undefined : str(raw.consolePassword, src('consolePassword')),
  };
  // Node.js refuses a server whose headers may take longer than the whole request.
  if (config.headersTimeout > config.requestTimeout) {
    throw new ConfigError(`${src('headersTimeout')}: must not exceed requestTimeout (${config.requestTimeout})`);
  }
  if (config.smsWebhookUrl !== undefined && config.snsEndpoint !== undefined) {
    throw new ConfigError(`${src('snsEndpoint')}: set smsWebhookUrl or snsEndpoint, not both`);
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(`${src(config.tlsCert === undefined ? 'tlsKey' : 'tlsCert')}: set both tlsCert and tlsKey, or neither`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(config.region)) throw new ConfigError(`${src('region')}: not a region name like us-east-1`);
  if (config.masterKey !== undefined && Buffer.from(config.masterKey, 'base64').length !== 32) {
    throw new ConfigError(`${src('masterKey')}: expected base64 of 32 bytes`);
  }
  return config;
}

/** Loopback hosts, where the well-known local admin key is acceptable. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
