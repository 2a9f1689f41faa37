import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../lib/clock.js';
import type { AuditEvent, AuditEventStore } from '../store/ports.js';
import type { Metrics } from '../observability/metrics.js';
import type { LogDelivery } from './log-delivery.js';

/**
 * An event as recorded: the time is the log's own; absent members are null. An `eventId` given
 * is kept (a risk notification names its sign-in's event before the event is recorded); otherwise
 * the log makes one.
 */
export type AuditEntry = Pick<AuditEvent, 'event' | 'outcome'> &
  Partial<Omit<AuditEvent, 'at' | 'event' | 'outcome' | 'eventId'>> & { eventId?: string | undefined };

/**
 * The audit log: each event is one structured log line (`"msg":"audit"`, the event under
 * `audit`) and one row of the audit-event table, which AdminListUserAuthEvents will read.
 * Recording never fails the action it records: a row that cannot be written (the database is
 * busy, say) is reported in a warning, and the log line still carries the event.
 *
 * With a log delivery, the event then goes to its pool's configured log (src/audit/log-delivery.ts).
 *
 * Callers pass only identifiers (names, IDs, addresses, error types), never a password, code,
 * token, secret hash or client secret.
 */
export class AuditLog {
  constructor(
    private readonly events: AuditEventStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly enabled: boolean,
    private readonly metrics?: Metrics,
    /** Pools' log delivery (the `logDeliveryFile` setting); absent when none is set. */
    private readonly logDelivery?: LogDelivery,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    // Counted even when the audit log is off: the metrics are not a record of who did what.
    this.metrics?.observeAuditEvent(entry.event, entry.outcome, entry.detail?.['flow'] ?? entry.detail?.['challenge']);
    if (!this.enabled) return;
    const event: AuditEvent = {
      at: this.clock.now(),
      event: entry.event,
      outcome: entry.outcome,
      poolId: entry.poolId ?? null,
      clientId: entry.clientId ?? null,
      actor: entry.actor ?? null,
      username: entry.username ?? null,
      sub: entry.sub ?? null,
      sourceIp: entry.sourceIp ?? null,
      requestId: entry.requestId ?? null,
      error: entry.error ?? null,
      detail: entry.detail && Object.keys(entry.detail).length > 0 ? entry.detail : null,
      // AdminListUserAuthEvents' EventId: random, so it tells nothing about other events.
      eventId: entry.eventId ?? randomUUID(),
    };
    this.logger.info({ audit: event }, 'audit');
    try {
      await this.events.add(event);
    } catch (error) {
      this.logger.warn({ code: (error as { code?: unknown }).code, event: event.event }, 'audit event not stored');
    }
    try {
      await this.logDelivery?.deliver(event);
    } catch (error) {
      // Like the row, a delivery that fails never fails the action.
      this.logger.warn({ code: (error as { code?: unknown }).code, event: event.event }, 'log delivery failed');
    }
  }
}
