import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import type { AdminKeyPair, Config } from './config/schema.js';
import { LOCAL_ADMIN_KEY } from './config/schema.js';
import { isLoopback } from './config/load.js';
import { Sealer } from './crypto/sealing.js';
import { openDatabase, migrateToLatest, type OpenDatabaseOptions } from './store/database.js';
import { createSqlStore } from './store/sql/index.js';
import { sealCanary } from './store/readiness.js';
import { systemClock, type Clock } from './lib/clock.js';
import { randomString } from './lib/ids.js';
import type { MessageDelivery } from './messaging/delivery.js';
import type { Store } from './store/ports.js';
import { createDelivery } from './messaging/create-delivery.js';
import { SigningKeys } from './tokens/signing-keys.js';
import { createFunctionInvoker } from './triggers/invoke.js';
import { InvocationLog } from './triggers/invocation-log.js';
import { LogDelivery } from './audit/log-delivery.js';
import { AuditLog } from './audit/audit-log.js';
import { Metrics } from './observability/metrics.js';
import type { Services } from './services.js';

export interface BootOptions {
  clock?: Clock;
  logger?: Logger;
  delivery?: MessageDelivery;
  /** Sees every database query (see OpenDatabaseOptions.log); for tests that count queries. */
  queryLog?: OpenDatabaseOptions['log'];
  /** How long a cached read may stand on PostgreSQL (OpenDatabaseOptions.readLeaseMs); tests that count queries lengthen it. */
  readLeaseMs?: OpenDatabaseOptions['readLeaseMs'];
}

export interface Booted {
  services: Services;
  /** The admin key pairs in force, and whether they were generated on this start. */
  adminKeys: { keys: AdminKeyPair[]; source: 'config' | 'local-default' | 'generated' | 'stored' };
  /** Sets the public URL once the listening port is known (when none is configured). */
  setPublicUrl(url: string): void;
  /**
   * Resolves once this node has heard of every change to cached tables committed before the call:
   * at once on SQLite, which sees them at its next read; on PostgreSQL when the change listener has
   * caught up. Tests that count a cached path's queries wait for it after changing a pool.
   */
  changesHeard(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The server's JSON logger (stdout unless a destination is given). Operations never log inputs;
 * the redaction is belt and braces for fields that must never reach a log line.
 */
export function createLogger(level: Config['logLevel'], destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    redact: ['req.headers.authorization', '*.password', '*.Password', '*.secret', '*.SecretHash', '*.code', '*.token'],
  };
  return destination ? pino(options, destination) : pino(options);
}

/** The master key: from config, or a key file created (mode 0600, in a 0700 folder) on first start. */
function loadMasterKey(config: Config): Buffer {
  if (config.masterKey) return Buffer.from(config.masterKey, 'base64');
  const file = join(config.dataDir, 'master.key');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file}: expected base64 of 32 bytes`);
  return key;
}

/**
 * Opens the store, applies migrations and builds the services. Used by `cognate start` and by the
 * tests, so both run the same wiring.
 */
export async function boot(config: Config, options: BootOptions = {}): Promise<Booted> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const sealer = new Sealer(loadMasterKey(config));
  const database = openDatabase(config.databaseUrl, {
    busyTimeout: config.databaseBusyTimeout,
    preparedStatements: config.databasePreparedStatements,
    ...(options.queryLog ? { log: options.queryLog } : {}),
    ...(options.readLeaseMs === undefined ? {} : { readLeaseMs: options.readLeaseMs }),
  });
  await migrateToLatest(database);
  const store = createSqlStore(database, sealer);
  if (!(await sealCanary(store, sealer))) {
    // Kept running so /health/ready can say why; every sealed secret would fail to open.
    logger.error('the master key does not open the secrets stored in this database (a different master key?)');
  }

  let adminKeys: Booted['adminKeys'];
  if (config.adminKeys.length > 0) {
    adminKeys = { keys: config.adminKeys, source: 'config' };
  } else if (isLoopback(config.host)) {
    adminKeys = { keys: [LOCAL_ADMIN_KEY], source: 'local-default' };
  } else {
    // Reachable from other machines with no keys configured: never accept a well-known key.
    const candidate = sealer.seal(
      JSON.stringify({ accessKeyId: `AKIA${randomString(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`, secretAccessKey: randomString(40) }),
      'admin-key',
    );
    const sealed = await store.settings.setIfAbsent('admin-key', candidate);
    const pair = JSON.parse(sealer.openString(sealed, 'admin-key') ?? 'null') as AdminKeyPair | null;
    if (!pair) throw new Error('the stored admin key fails to open (wrong master key?)');
    adminKeys = { keys: [pair], source: sealed === candidate ? 'generated' : 'stored' };
  }
  const secrets = new Map(adminKeys.keys.map((k) => [k.accessKeyId, k.secretAccessKey]));

  let publicUrl = config.publicUrl;
  const invocations = new InvocationLog(store.triggerInvocations, config.invocationLogSize, logger);
  const metrics = new Metrics({ connectionPool: database.connectionPool });
  metrics.shareWithSupervisor();
  const triggers = createFunctionInvoker({ functions: config.functions, log: invocations, region: config.region, now: () => clock.now() });
  /** The services over `over`: the server's store, or a transaction's (Services.inTransaction). */
  const servicesOver = (over: Store, delivery: MessageDelivery): Services => {
    const services: Services = {
      config,
      store: over,
      clock,
      sealer,
      logger,
      delivery,
      keys: new SigningKeys(over.signingKeys, clock),
      audit: new AuditLog(
        over.auditEvents,
        clock,
        logger,
        config.audit,
        metrics,
        config.logDeliveryFile === undefined ? undefined : new LogDelivery(config.logDeliveryFile, over.logDeliveryConfigurations),
      ),
      metrics,
      triggers,
      invocations,
      secretFor: (id) => secrets.get(id),
      publicUrl: () => publicUrl,
      // Inside a transaction the store joins it, so a nested call runs in the same one.
      inTransaction: (fn) =>
        over === store
          ? store.transaction((trx) => fn(servicesOver(trx, options.delivery ?? createDelivery(config, trx.inbox, clock, logger))))
          : fn(services),
    };
    return services;
  };
  const services = servicesOver(store, options.delivery ?? createDelivery(config, store.inbox, clock, logger));
  return {
    services,
    adminKeys,
    setPublicUrl: (url) => {
      publicUrl = url;
    },
    changesHeard: async () => {
      await database.changeListener?.caughtUp();
    },
    close: async () => {
      await triggers.close();
      await invocations.flush();
      await store.close();
    },
  };
}
