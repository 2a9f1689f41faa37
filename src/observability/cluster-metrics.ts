import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type PrometheusContentType } from 'prom-client';

/**
 * Metrics across the workers of one node (`workers` above 1). A scrape of `/metrics` lands on one
 * worker; it asks the supervisor, which gathers every worker's registry with prom-client's
 * AggregatorRegistry (counters and histograms summed, gauges summed too) and answers the asking
 * worker. Kept apart from metrics.ts so the supervisor imports prom-client and nothing of the server.
 */

const METRICS_REQUEST = 'cognate:metrics-request';
const METRICS_ANSWER = 'cognate:metrics-answer';

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsAnswer {
  type: typeof METRICS_ANSWER;
  id: number;
  body?: string;
  error?: string;
}

/** How long a scrape waits for the supervisor (which itself waits on every worker). */
const GATHER_TIMEOUT_MS = 10_000;
let nextGatherId = 0;

/** In a worker: the whole node's metrics in Prometheus' text format, from the supervisor. */
export function gatherClusterMetrics(): Promise<string> {
  const id = nextGatherId++;
  return new Promise<string>((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      const answer = message as Partial<MetricsAnswer> | null;
      if (answer?.type !== METRICS_ANSWER || answer.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (answer.body !== undefined) resolve(answer.body);
      else reject(new Error(`the supervisor could not gather the metrics: ${answer.error ?? 'no answer'}`));
    };
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error(`the supervisor did not answer a metrics request within ${GATHER_TIMEOUT_MS} ms`));
    }, GATHER_TIMEOUT_MS);
    process.on('message', onMessage);
    const request: MetricsRequest = { type: METRICS_REQUEST, id };
    process.send!(request);
  });
}

/** In the supervisor: answers a worker's metrics requests with every worker's metrics. */
export function answerMetricsRequests(worker: Worker, aggregator: AggregatorRegistry<PrometheusContentType>): void {
  worker.on('message', (message: unknown) => {
    const request = message as Partial<MetricsRequest> | null;
    if (request?.type !== METRICS_REQUEST || typeof request.id !== 'number') return;
    const id = request.id;
    const reply = (answer: MetricsAnswer): void => {
      if (worker.isConnected()) worker.send(answer, undefined, () => undefined);
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ type: METRICS_ANSWER, id, body }),
      (error: unknown) => reply({ type: METRICS_ANSWER, id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}
