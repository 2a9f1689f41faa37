#!/usr/bin/env node
import cluster from 'node:cluster';
import { loadConfig, ConfigError } from './config/load.js';
import { UsageError } from './tools-cli/args.js';

// The server's modules are imported by the command that needs them, so the supervisor of several
// workers (src/cluster.ts) stays small.

const USAGE = `Usage: cognate <command>

Commands:
  start                         start the server (default)
  migrate                       apply database migrations and exit
  inbox [--pool ID] [--user U]  print the newest messages of the local inbox as JSON
  keys rotate|list --pool ID    rotate a pool's signing keys (old ones stay in the JWKS), or list them
  load-users --pool ID --count N [--prefix user] [--password P] [--batch 1000] [--start 0] [--srp]
                                bulk-insert N confirmed users (one shared argon2id hash) for scale tests
`;

/** Reads `--name value` from argv. */
function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function run(args: string[]): Promise<void> {
  const command = args[0] ?? 'start';
  switch (command) {
    case 'start': {
      // Workers load the same environment as the supervisor, which has said what it ignores.
      const config = loadConfig(process.env, {}, cluster.isWorker ? { warn: () => undefined } : {});
      if (config.workers > 1 && cluster.isPrimary) return (await import('./cluster.js')).supervise(config);
      return (await import('./main.js')).main(config);
    }
    case 'migrate': {
      const { boot } = await import('./bootstrap.js');
      const booted = await boot(loadConfig());
      await booted.close();
      process.stdout.write('migrations applied\n');
      return;
    }
    case 'inbox': {
      const { boot } = await import('./bootstrap.js');
      const booted = await boot({ ...loadConfig(), logLevel: 'silent' });
      const pool = option(args, '--pool');
      const user = option(args, '--user');
      const messages = await booted.services.store.inbox.list({
        ...(pool ? { poolId: pool } : {}),
        ...(user ? { username: user } : {}),
        limit: 20,
      });
      process.stdout.write(JSON.stringify(messages, null, 2) + '\n');
      await booted.close();
      return;
    }
    case 'keys':
      return (await import('./tools-cli/keys.js')).runKeys(args.slice(1), loadConfig());
    case 'load-users':
      return (await import('./tools-cli/load-users.js')).runLoadUsers(args.slice(1), loadConfig());
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      process.exitCode = 2;
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${error.usage}`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${error instanceof ConfigError ? 'configuration error' : 'error'}: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
