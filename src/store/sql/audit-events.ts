import type { Kysely, Selectable } from 'kysely';
import type { AuditEventRow, Database } from '../schema.js';
import type { AuditEvent, AuditEventFeedback, AuditEventStore, AuditOutcome, StoredAuditEvent, UserEventQuery } from '../ports.js';

function fromRow(row: Selectable<AuditEventRow>): StoredAuditEvent {
  return {
    id: Number(row.id),
    at: row.at,
    event: row.event,
    outcome: row.outcome as AuditOutcome,
    poolId: row.user_pool_id,
    clientId: row.client_id,
    actor: row.actor,
    username: row.username,
    sub: row.sub,
    sourceIp: row.source_ip,
    requestId: row.request_id,
    error: row.error,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, string>),
    eventId: row.event_id,
    feedback: row.feedback === null ? null : (JSON.parse(row.feedback) as AuditEventFeedback),
  };
}

export class SqlAuditEventStore implements AuditEventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(event: AuditEvent): Promise<void> {
    await this.db
      .insertInto('audit_events')
      .values({
        at: event.at,
        event: event.event,
        outcome: event.outcome,
        user_pool_id: event.poolId,
        client_id: event.clientId,
        actor: event.actor,
        username: event.username,
        sub: event.sub,
        source_ip: event.sourceIp,
        request_id: event.requestId,
        error: event.error,
        detail: event.detail === null ? null : JSON.stringify(event.detail),
        event_id: event.eventId,
      })
      .execute();
  }

  async list(query: { poolId: string; username?: string; limit?: number }): Promise<StoredAuditEvent[]> {
    let q = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('user_pool_id', '=', query.poolId)
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    return (await q.execute()).map(fromRow);
  }

  async listForUser(query: UserEventQuery): Promise<StoredAuditEvent[]> {
    let q = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('user_pool_id', '=', query.poolId)
      .where('event', 'in', [...query.events])
      .where('event_id', 'is not', null)
      .where((eb) => eb.or([eb('username', 'in', [...query.usernames]), eb('sub', '=', query.sub)]))
      .orderBy('id', 'desc')
      .limit(query.limit);
    if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
    return (await q.execute()).map(fromRow);
  }

  async getByEventId(poolId: string, eventId: string): Promise<StoredAuditEvent | undefined> {
    const row = await this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('user_pool_id', '=', poolId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async setFeedback(poolId: string, eventId: string, feedback: AuditEventFeedback): Promise<void> {
    await this.db
      .updateTable('audit_events')
      .set({ feedback: JSON.stringify(feedback) })
      .where('user_pool_id', '=', poolId)
      .where('event_id', '=', eventId)
      .execute();
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
