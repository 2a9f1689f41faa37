import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { passwordHashingLoad } from '../crypto/password-hash.js';
import { srpWorkPending } from '../crypto/srp.js';
import { gatherClusterMetrics } from './cluster-metrics.js';

/** What the metrics read from the database connection pool; PostgreSQL's `pg.Pool` has all three. */
export interface ConnectionPoolLoad {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * Latency buckets in seconds: a token refresh answers in about a millisecond, a password sign-in
 * (argon2id) in tens, a hung Lambda trigger after its 5-second limit.
 */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The Prometheus metrics of one Cognate process (prom-client), served at `/metrics`.
 *
 * Each process has its own registry, so test servers in one process stay apart. Under `workers`
 * (node:cluster) a scrape reaches one worker, which asks the supervisor to gather every worker's
 * registry (`gatherClusterMetrics`), so one scrape sees the whole node. Labels are bounded: the
 * operation names of the models, route patterns (never a raw path, which could carry a code or
 * an id), exception names, and HTTP statuses.
 */
export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'cognate_requests_total',
    help: 'Requests answered, by operation (or route), HTTP status and error type ("" when none).',
    labelNames: ['operation', 'status', 'error'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'cognate_request_duration_seconds',
    help: 'Time from the request received to the answer sent, by operation (or route).',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  private readonly signIns = new Counter({
    name: 'cognate_sign_ins_total',
    help: 'Sign-in attempts that reached a decision, by outcome (success or failure) and flow.',
    labelNames: ['outcome', 'flow'] as const,
    registers: [this.registry],
  });

  private readonly lockouts = new Counter({
    name: 'cognate_lockouts_total',
    help: 'Users locked out after too many failed sign-ins.',
    registers: [this.registry],
  });

  constructor(options: { connectionPool?: ConnectionPoolLoad | undefined; defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'cognate_password_hashes',
      help: 'argon2id hashes running now (at most one per core this process may use) and waiting for a slot: waiting above zero for long, the node is short of CPU.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const load = passwordHashingLoad();
        this.set({ state: 'running' }, load.running);
        this.set({ state: 'waiting' }, load.waiting);
      },
    });
    new Gauge({
      name: 'cognate_srp_exponentiations_pending',
      help: 'SRP modular exponentiations queued on or running in the worker threads.',
      registers: [this.registry],
      collect() {
        this.set(srpWorkPending());
      },
    });
    const pool = options.connectionPool;
    if (pool) {
      new Gauge({
        name: 'cognate_database_connections',
        help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one.',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          this.set({ state: 'total' }, pool.totalCount);
          this.set({ state: 'idle' }, pool.idleCount);
          this.set({ state: 'waiting' }, pool.waitingCount);
        },
      });
    }
  }

  /** One answered request. `seconds` from the request received to the answer sent. */
  observeRequest(operation: string, status: number, error: string, seconds: number): void {
    this.requests.inc({ operation, status: String(status), error });
    this.latency.observe({ operation }, seconds);
  }

  /** One audited event; the sign-in outcomes and lockouts are counted. */
  observeAuditEvent(event: string, outcome: string, flow: string | undefined): void {
    if (event === 'SignIn') this.signIns.inc({ outcome, flow: flow ?? '' });
    else if (event === 'Lockout') this.lockouts.inc();
  }

  /** This process's metrics, or under node:cluster every worker's, summed by the supervisor. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    if (cluster.isWorker) return { contentType: this.registry.contentType, body: await gatherClusterMetrics() };
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Under node:cluster, lets the supervisor read this worker's registry when a scrape asks. */
  shareWithSupervisor(): void {
    if (cluster.isWorker) AggregatorRegistry.setRegistries([this.registry]);
  }
}
