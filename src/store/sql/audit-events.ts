import type { Kysely, Selectable } from 'kysely';
import type { AuditEventRow, Database } from '../schema.js';
import type { AuditEvent, AuditEventStore, AuditOutcome } from '../ports.js';

function fromRow(row: Selectable<AuditEventRow>): AuditEvent & { id: number } {
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
      })
      .execute();
  }

  async list(query: { poolId: string; username?: string; limit?: number }): Promise<(AuditEvent & { id: number })[]> {
    let q = this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('user_pool_id', '=', query.poolId)
      .orderBy('id', 'desc')
      .limit(query.limit ?? 50);
    if (query.username !== undefined) q = q.where('username', '=', query.username);
    return (await q.execute()).map(fromRow);
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.deleteFrom('audit_events').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
