import type { Logger } from 'pino';
import type { Config } from './config/schema.js';
import type { Store } from './store/ports.js';
import type { Clock } from './lib/clock.js';
import type { Sealer } from './crypto/sealing.js';
import type { MessageDelivery } from './messaging/delivery.js';
import type { SigningKeys } from './tokens/signing-keys.js';
import type { AuditLog } from './audit/audit-log.js';
import type { FunctionInvoker } from './triggers/invoke.js';
import type { InvocationLog } from './triggers/invocation-log.js';
import type { Metrics } from './observability/metrics.js';

/**
 * Everything an operation may use. Built once at start (src/main.ts, or test/support for tests)
 * and passed down; nothing reaches for globals.
 */
export interface Services {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly sealer: Sealer;
  readonly logger: Logger;
  readonly delivery: MessageDelivery;
  readonly keys: SigningKeys;
  /** Records who did what (sign-ins, lockouts, password changes, admin changes). */
  readonly audit: AuditLog;
  /** Runs the Lambda functions pools' `LambdaConfig` names (src/triggers/fire.ts builds the events). */
  readonly triggers: FunctionInvoker;
  /** The last trigger invocations of each pool, for developers to read. */
  readonly invocations: InvocationLog;
  /** This process's Prometheus metrics (`/metrics`). */
  readonly metrics: Metrics;
  /** SigV4 secret for an access key accepted on admin operations. */
  secretFor(accessKeyId: string): string | undefined;
  /** Base URL of this server, as clients reach it. */
  publicUrl(): string;
  /**
   * Runs `fn` with these services bound to one database transaction: its store, and the signing
   * keys, audit log and inbox that write through a store. Everything `fn` writes commits together
   * when it resolves, and nothing when it throws. Mail and SMS already sent are not taken back.
   */
  inTransaction<T>(fn: (services: Services) => Promise<T>): Promise<T>;
}
