import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { boot, type BootOptions, type Booted } from './bootstrap.js';
import { createApp } from './app.js';
import { startHousekeeping } from './store/housekeeping.js';
import { limitPasswordHashing } from './crypto/password-hash.js';
import { favourEventLoop } from './lib/thread-priority.js';
import { WORKER_READY, WORKER_STOP, type WorkerReady } from './cluster.js';
import { applyFile } from './apply/apply.js';

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  booted: Booted;
  stop(): Promise<void>;
}

/** The certificate and key files, read once at start; undefined serves plain HTTP. */
function tlsOptions(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tlsCert || !config.tlsKey) return undefined;
  return { cert: readFileSync(config.tlsCert), key: readFileSync(config.tlsKey) };
}

/** Boots the services, listens, and fills in the public URL from the bound port when not configured. */
export async function startServer(config: Config, options: BootOptions = {}): Promise<RunningServer> {
  // One argon2id hash per core, shared by the workers. With the event loop ahead of the pool
  // threads (favourEventLoop) a finished hash's result is taken at once, so a spare hash in flight
  // only thrashes the caches (measured on 2 vCPU: 2 in flight verify about 190/s, 3 about 160/s).
  limitPasswordHashing(Math.max(1, Math.floor(availableParallelism() / config.workers)));
  const booted = await boot(config, options);
  // The first worker applies the start's document; the supervisor forks the others once it listens.
  if (config.applyOnStart !== undefined && (!cluster.isWorker || cluster.worker?.id === 1)) {
    const { logger } = booted.services;
    try {
      await applyFile(booted.services, config.applyOnStart, {
        dryRun: false,
        prune: false,
        print: (line) => logger.info(`apply: ${line}`),
      });
    } catch (error) {
      await booted.close();
      throw new Error(`applyOnStart ${config.applyOnStart}: ${(error as Error).message}`, { cause: error });
    }
  }
  const app = createApp(booted.services, tlsOptions(config));
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.tlsCert ? 'https' : 'http'}://${host}:${port}`;
  if (!config.publicUrl) booted.setPublicUrl(url);
  const stopHousekeeping = startHousekeeping(booted.services);
  const stopFavouring = favourEventLoop();
  return {
    url,
    app,
    booted,
    stop: async () => {
      stopHousekeeping();
      stopFavouring();
      await app.close();
      await booted.close();
    },
  };
}

/** Which admin secrets the start banner prints: the well-known one, and a generated one once. */
const SECRET_SHOWN: Record<Booted['adminKeys']['source'], boolean> = {
  'local-default': true,
  generated: true,
  config: false,
  stored: false,
};
const SECRET_HIDDEN: Record<Booted['adminKeys']['source'], string> = {
  'local-default': '',
  generated: '',
  config: '<as configured>',
  stored: '<printed on first start>',
};

/** What `cognate start` prints once the server listens: the endpoint and the admin credentials. */
export function startBanner(config: Config, server: RunningServer): string[] {
  const { keys, source } = server.booted.adminKeys;
  return [
    `Cognate is listening on ${server.url}`,
    `  endpoint:     ${server.url}  (AWS SDK endpoint / --endpoint-url)`,
    `  region:       ${config.region}`,
    `  database:     ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}`,
    `  admin keys (${source}):`,
    ...keys.map(
      (k) =>
        `    AWS_ACCESS_KEY_ID=${k.accessKeyId} AWS_SECRET_ACCESS_KEY=${SECRET_SHOWN[source] ? k.secretAccessKey : SECRET_HIDDEN[source]}`,
    ),
  ];
}

/**
 * `cognate start` in one process, or in one worker of `cognate start` with several: listen, print
 * the banner (a worker hands it to the primary, which prints it once), stop cleanly on a signal or
 * on the primary's word.
 */
export async function main(config: Config = loadConfig()): Promise<void> {
  const server = await startServer(config);
  const banner = startBanner(config, server);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.booted.services.logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (cluster.isWorker) {
    process.on('message', (message: unknown) => {
      if (message === WORKER_STOP) stop('primary');
    });
    process.send?.({ type: WORKER_READY, banner } satisfies WorkerReady);
    return;
  }
  process.stdout.write(banner.join('\n') + '\n');
}
