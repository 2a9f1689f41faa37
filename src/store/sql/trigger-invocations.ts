import type { Kysely, Selectable } from 'kysely';
import type { Database, TriggerInvocationRow } from '../schema.js';
import type { TriggerInvocation, TriggerInvocationStore } from '../ports.js';

function fromRow(row: Selectable<TriggerInvocationRow>): TriggerInvocation {
  return {
    at: Number(row.at),
    functionArn: row.function_arn,
    triggerSource: row.trigger_source,
    mode: row.mode as TriggerInvocation['mode'],
    durationMs: Number(row.duration_ms),
    outcome: row.outcome,
    detail: row.detail,
    logs: row.logs,
  };
}

export class SqlTriggerInvocationStore implements TriggerInvocationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(poolId: string, invocation: TriggerInvocation): Promise<void> {
    await this.db
      .insertInto('trigger_invocations')
      .values({
        pool_id: poolId,
        at: invocation.at,
        function_arn: invocation.functionArn,
        trigger_source: invocation.triggerSource,
        mode: invocation.mode,
        duration_ms: invocation.durationMs,
        outcome: invocation.outcome,
        detail: invocation.detail,
        logs: invocation.logs,
      })
      .execute();
  }

  async list(poolId: string, limit: number): Promise<TriggerInvocation[]> {
    const rows = await this.db
      .selectFrom('trigger_invocations')
      .selectAll()
      .where('pool_id', '=', poolId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  async trim(poolId: string, keep: number): Promise<void> {
    // The newest row to drop, in the order `list` reads: it and everything older go. (Writes from
    // several workers can insert out of time order, so time ranks first and the id breaks ties.)
    const cut = await this.db
      .selectFrom('trigger_invocations')
      .select(['at', 'id'])
      .where('pool_id', '=', poolId)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(keep)
      .executeTakeFirst();
    if (cut === undefined) return;
    await this.db
      .deleteFrom('trigger_invocations')
      .where('pool_id', '=', poolId)
      .where((eb) => eb.or([eb('at', '<', cut.at), eb.and([eb('at', '=', cut.at), eb('id', '<=', cut.id)])]))
      .execute();
  }
}
