import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError } from '../config/load.js';
import { UsageError } from './args.js';

/**
 * The `cognate` command line: which command, its options checked strictly, its usage, the exit
 * status. src/cli.ts runs it on the process's arguments; the tests call it in process for the
 * command line's own answers (usage, version, refused arguments), which need no child process.
 */

// The server's modules are imported by the command that needs them, so the supervisor of several
// workers (src/cluster.ts) stays small.

const USAGE = `Usage: cognate <command> [options]
       cognate <command> --help      that command's usage
       cognate --version             the version

Commands:
  start                         start the server (default)
  migrate                       apply database migrations and exit
  apply <file> [--dry-run] [--prune]
                                apply a declarative setup (pools, clients, groups, resource servers, users)
  inbox [--pool ID] [--user U]  print the newest messages of the local inbox as JSON
  invocations --pool ID [--json]
                                print a pool's last trigger invocations (function, source, time, outcome)
  keys rotate|list --pool ID    rotate a pool's signing keys (old ones stay in the JWKS), or list them
  revoke-credentials KEY        revoke temporary AWS credentials Cognate issued, by access key id
  gateway list|put FILE|delete ID
                                list, store or delete the API gateway's APIs
  load-users --pool ID --count N [--prefix user] [--password P] [--batch 1000] [--start 0] [--srp]
                                bulk-insert N confirmed users (one shared argon2id hash) for scale tests
  export [--pool ID] --out FILE --key FILE|env:NAME
                                write pools, clients and users (hashes, SRP, MFA, devices) to a file
  import FILE --key FILE|env:NAME [--replace]
                                load an export file into this database, in one transaction
  backup --out FILE             copy the SQLite database while the server serves (online backup)

Settings come from COGNATE_* environment variables and the JSON file named by COGNATE_CONFIG
(see the README's configuration table).
`;

type Options = NonNullable<ParseArgsConfig['options']>;

interface Command {
  options: Options;
  /** Positional arguments the command takes (`keys` its action, `revoke-credentials` its key, `apply` its file). */
  positionals: number;
  usage: () => Promise<string>;
  /** `output` is where the command prints, for those that take it (the rest print to the process's stdout). */
  run: (args: string[], values: Record<string, unknown>, env: NodeJS.ProcessEnv, output: CommandOutput) => Promise<void>;
}

const text = (usage: string) => async (): Promise<string> => usage;
const string = { type: 'string' } as const;

/** Each command's options, checked strictly before the command runs (an unknown one exits 2). */
const COMMANDS: Record<string, Command> = {
  start: {
    options: {},
    positionals: 0,
    usage: text(`Usage: cognate start

Starts the server: applies the database migrations, listens, and prints the endpoint and the admin
keys. With COGNATE_WORKERS above 1 it supervises that many server processes sharing the port.
`),
    run: async (_args, _values, env) => {
      // Workers load the same environment as the supervisor, which has said what it ignores.
      const config = loadConfig(env, {}, cluster.isWorker ? { warn: () => undefined } : {});
      if (config.workers > 1 && cluster.isPrimary) return (await import('../cluster.js')).supervise(config);
      return (await import('../main.js')).main(config);
    },
  },
  migrate: {
    options: {},
    positionals: 0,
    usage: text(`Usage: cognate migrate

Applies the database migrations (of COGNATE_DATABASE_URL) and exits.
`),
    run: async (_args, _values, env) => {
      const { boot } = await import('../bootstrap.js');
      const booted = await boot(loadConfig(env));
      await booted.close();
      process.stdout.write('migrations applied\n');
    },
  },
  apply: {
    options: { 'dry-run': { type: 'boolean' }, prune: { type: 'boolean' } },
    positionals: 1,
    usage: async () => (await import('./apply.js')).APPLY_USAGE,
    run: async (args, _values, env) => (await import('./apply.js')).runApply(args, loadConfig(env)),
  },
  inbox: {
    options: { pool: string, user: string },
    positionals: 0,
    usage: text(`Usage: cognate inbox [--pool <poolId>] [--user <username>]

Prints the 20 newest messages of the local inbox (codes, invitations) as JSON, newest first.
`),
    run: async (_args, values, env) => {
      const { boot } = await import('../bootstrap.js');
      const booted = await boot({ ...loadConfig(env), logLevel: 'silent' });
      const pool = values['pool'];
      const user = values['user'];
      const messages = await booted.services.store.inbox.list({
        ...(typeof pool === 'string' ? { poolId: pool } : {}),
        ...(typeof user === 'string' ? { username: user } : {}),
        limit: 20,
      });
      process.stdout.write(JSON.stringify(messages, null, 2) + '\n');
      await booted.close();
    },
  },
  invocations: {
    options: { pool: string, json: { type: 'boolean' } },
    positionals: 0,
    usage: async () => (await import('./invocations.js')).INVOCATIONS_USAGE,
    run: async (args, _values, env, output) => (await import('./invocations.js')).runInvocations(args, loadConfig(env), output.stdout),
  },
  keys: {
    options: { pool: string },
    positionals: 1,
    usage: async () => (await import('./keys.js')).KEYS_USAGE,
    run: async (args, _values, env) => (await import('./keys.js')).runKeys(args, loadConfig(env)),
  },
  'revoke-credentials': {
    options: {},
    positionals: 1,
    usage: async () => (await import('./revoke-credentials.js')).REVOKE_CREDENTIALS_USAGE,
    run: async (args, _values, env, output) =>
      (await import('./revoke-credentials.js')).runRevokeCredentials(args, loadConfig(env), output.stdout),
  },
  gateway: {
    options: {},
    positionals: 2,
    usage: async () => (await import('./gateway.js')).GATEWAY_USAGE,
    run: async (args, _values, env) => (await import('./gateway.js')).runGateway(args, loadConfig(env)),
  },
  'load-users': {
    options: { pool: string, count: string, prefix: string, password: string, batch: string, start: string, srp: { type: 'boolean' } },
    positionals: 0,
    usage: async () => (await import('./load-users.js')).LOAD_USERS_USAGE,
    run: async (args, _values, env) => (await import('./load-users.js')).runLoadUsers(args, loadConfig(env)),
  },
  export: {
    options: { pool: string, out: string, key: string },
    positionals: 0,
    usage: async () => (await import('./export.js')).EXPORT_USAGE,
    run: async (args, _values, env) => (await import('./export.js')).runExport(args, loadConfig(env)),
  },
  import: {
    options: { key: string, replace: { type: 'boolean' } },
    positionals: 1,
    usage: async () => (await import('./import.js')).IMPORT_USAGE,
    run: async (args, _values, env) => (await import('./import.js')).runImport(args, loadConfig(env)),
  },
  backup: {
    options: { out: string },
    positionals: 0,
    usage: async () => (await import('./backup.js')).BACKUP_USAGE,
    run: async (args, _values, env) => (await import('./backup.js')).runBackup(args, loadConfig(env)),
  },
};

/** The version in package.json, two folders above both src/tools-cli/ and dist/tools-cli/. */
function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function run(args: string[], output: CommandOutput, env: NodeJS.ProcessEnv): Promise<void> {
  const [first = 'start', ...rest] = args;
  if (first === '--version' || first === '-v') {
    if (rest.length > 0) throw new UsageError(`--version takes no arguments`, USAGE);
    output.stdout(`${version()}\n`);
    return;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    const about = rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    if (rest.length > (about ? 1 : 0)) throw new UsageError(`unknown command: ${rest[0]}`, USAGE);
    output.stdout(about ? await about.usage() : USAGE);
    return;
  }
  const command = Object.hasOwn(COMMANDS, first) ? COMMANDS[first] : undefined;
  if (!command) throw new UsageError(first.startsWith('-') ? `unknown option: ${first}` : `unknown command: ${first}`, USAGE);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: command.positionals > 0,
    });
  } catch (error) {
    throw new UsageError(`cognate ${first}: ${(error as Error).message}`, await command.usage());
  }
  if (parsed.values['help'] === true) {
    output.stdout(await command.usage());
    return;
  }
  if (parsed.positionals.length > command.positionals) {
    throw new UsageError(`cognate ${first}: unexpected argument ${parsed.positionals[command.positionals]!}`, await command.usage());
  }
  await command.run(rest, parsed.values, env, output);
}

/** Where the command line's own words go: usage and version to stdout, refusals and errors to stderr. */
export interface CommandOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

const processOutput: CommandOutput = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/**
 * Runs `cognate <args>` with the settings of `env` and resolves with its exit status: 0, 2 for a
 * bad command line (said with the usage), 1 for any other error.
 */
export async function cognateCommand(
  args: string[],
  output: CommandOutput = processOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    await run(args, output, env);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      output.stderr(`${error.message}\n${error.usage}`);
      return 2;
    }
    output.stderr(`${error instanceof ConfigError ? 'configuration error' : 'error'}: ${(error as Error).message}\n`);
    return 1;
  }
}
