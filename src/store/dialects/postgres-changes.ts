import {
  DeleteQueryNode,
  InsertQueryNode,
  MergeQueryNode,
  SelectQueryNode,
  UpdateQueryNode,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PostgresDialectConfig,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CHANGE_CHANNEL } from '../migrations/0027-change-notifications.js';
import { CurrentSchemaPostgresDialect } from './current-schema-introspector.js';

/** Whether `node` names one of `tables` anywhere, a subquery's included. */
function namesTable(node: unknown, tables: ReadonlySet<string>): boolean {
  if (typeof node !== 'object' || node === null) return false;
  if (Array.isArray(node)) return node.some((child) => namesTable(child, tables));
  const { kind, table } = node as { kind?: unknown; table?: { identifier?: { name?: unknown } } };
  if (kind === 'TableNode') return tables.has(String(table?.identifier?.name));
  return Object.values(node).some((child) => namesTable(child, tables));
}

/**
 * Whether a statement may write one of `tables`. Inserts, updates, deletes and merges write only
 * their target (a data-modifying `with` aside, which is searched whole), so only the target is
 * looked at: walking the whole tree, parameters and all, cost tens of µs per write. Raw SQL, which
 * cannot be read, and any other kind of statement count as writing.
 */
function mayWrite(node: RootOperationNode, tables: ReadonlySet<string>): boolean {
  if (SelectQueryNode.is(node)) return false;
  if ('with' in node && namesTable(node.with, tables)) return true;
  if (InsertQueryNode.is(node) || MergeQueryNode.is(node)) return namesTable(node.into, tables);
  if (UpdateQueryNode.is(node)) return namesTable(node.table, tables);
  if (DeleteQueryNode.is(node)) return namesTable(node.from, tables);
  return true;
}

/**
 * This node's own changes to the announced tables, counted as they finish: every statement that
 * writes one of them (a Kysely plugin; raw SQL, which it cannot read, counts too), and every commit
 * of a transaction during which one was written (the dialect below). A node must read its own
 * change at once, before PostgreSQL's notification of it comes back, so its writes change the
 * stamp themselves: a write inside a transaction counts when it runs and again when the
 * transaction commits, and a read made between the two (which sees the old rows) is dropped at the
 * commit. Writes to other tables (refresh tokens, audit events, counters) leave the cache alone.
 */
export class LocalWrites implements KyselyPlugin {
  #count = 0;
  readonly #writes = new WeakSet<QueryId>();

  constructor(private readonly announcedTables: ReadonlySet<string>) {}

  get count(): number {
    return this.#count;
  }

  counted(): void {
    this.#count++;
  }

  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    if (mayWrite(node, this.announcedTables)) this.#writes.add(queryId);
    return node;
  }

  transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.#writes.has(queryId)) this.#count++;
    return Promise.resolve(result);
  }
}

/**
 * The PostgreSQL dialect (current-schema introspection) with commits counted into LocalWrites: a
 * commit counts when an announced write was counted since its transaction began (its own, or,
 * harmlessly, another transaction's).
 */
export class CountingPostgresDialect extends CurrentSchemaPostgresDialect {
  constructor(
    config: PostgresDialectConfig,
    private readonly writes: LocalWrites,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const countAtBegin = new WeakMap<DatabaseConnection, number>();
    const begin = driver.beginTransaction.bind(driver);
    const commit = driver.commitTransaction.bind(driver);
    driver.beginTransaction = async (connection, settings) => {
      countAtBegin.set(connection, this.writes.count);
      await begin(connection, settings);
    };
    driver.commitTransaction = async (connection) => {
      await commit(connection);
      if (this.writes.count !== countAtBegin.get(connection)) this.writes.counted();
    };
    return driver;
  }
}

/**
 * Hears, on a connection of its own, the notifications the migration's triggers send when another
 * node (or anyone) commits a change to a cached table of this node's schema
 * (0027-change-notifications). `heard()` is the part of the change stamp they make: it changes
 * with every notification and every reconnection, and is undefined while the connection is not
 * listening, so that nothing is reused while a change could go unheard.
 *
 * A notification can arrive a moment after the commit it announces; until then another node may
 * still answer from what it read before. Within one node, LocalWrites makes its own changes seen
 * at once.
 */
export class PostgresChangeListener {
  #heard = 0;
  #connections = 0;
  #client: pg.Client | undefined;
  #backendPid: number | undefined;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #listening: Promise<void>;
  #resolveListening!: () => void;
  readonly #awaitedMarks = new Map<string, () => void>();

  constructor(
    private readonly connectionString: string,
    private readonly retryMs = 1000,
  ) {
    this.#listening = this.#pendingListen();
    void this.#connect();
  }

  /** Changes with every change heard; undefined while not listening. */
  heard(): string | undefined {
    return this.#client === undefined ? undefined : `${String(this.#connections)}.${String(this.#heard)}`;
  }

  /** Resolves once the connection listens (again). */
  listening(): Promise<void> {
    return this.#listening;
  }

  /**
   * Resolves once every change committed before the call has been heard: PostgreSQL delivers
   * notifications in commit order, so hearing a mark sent now means all earlier ones arrived. Also
   * resolves if the connection is lost meanwhile, when nothing is reused anyway.
   */
  async caughtUp(): Promise<void> {
    await this.#listening;
    const mark = `caught-up ${randomUUID()}`;
    const heard = new Promise<void>((resolve) => this.#awaitedMarks.set(mark, resolve));
    await this.#client?.query('select pg_notify($1, $2)', [CHANGE_CHANNEL, mark]);
    await heard;
  }

  /** The listening connection's server process, while there is one (tests end it to cut the line). */
  get backendPid(): number | undefined {
    return this.#backendPid;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #pendingListen(): Promise<void> {
    return new Promise((resolve) => (this.#resolveListening = resolve));
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    let lost = false;
    const lose = (): void => {
      if (lost) return;
      lost = true;
      if (this.#client === client) {
        for (const resolve of this.#awaitedMarks.values()) resolve();
        this.#awaitedMarks.clear();
        this.#client = undefined;
        this.#backendPid = undefined;
        this.#listening = this.#pendingListen();
      }
      void client.end().catch(() => undefined);
      if (!this.#closed) {
        this.#retry = setTimeout(() => void this.#connect(), this.retryMs);
        this.#retry.unref();
      }
    };
    client.on('error', lose);
    client.on('end', lose);
    try {
      await client.connect();
      // The same search_path as the pool's connections: the schema whose changes are ours.
      const { rows } = await client.query<{ schema: string; pid: number }>('select current_schema() as schema, pg_backend_pid() as pid');
      const schema = rows[0]?.schema;
      client.on('notification', (message) => {
        if (message.channel !== CHANGE_CHANNEL) return;
        if (message.payload === schema) this.#heard++;
        const mark = message.payload === undefined ? undefined : this.#awaitedMarks.get(message.payload);
        if (mark) {
          this.#awaitedMarks.delete(message.payload!);
          mark();
        }
      });
      await client.query(`listen ${CHANGE_CHANNEL}`);
      if (this.#closed || lost) {
        lose();
        return;
      }
      this.#connections++;
      this.#client = client;
      this.#backendPid = rows[0]?.pid;
      this.#resolveListening();
    } catch {
      lose();
    }
  }
}
