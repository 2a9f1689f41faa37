import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The AWS CLI's version line, or undefined when no `aws` is on PATH. */
export function awsCliVersion(): string | undefined {
  try {
    return execFileSync('aws', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}

/** Config files that do not exist (test/cli/.no-aws-config is never created). */
const nowhere = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', '.no-aws-config');

/**
 * This process's environment without any AWS_* setting, and with config files that do not exist, so
 * nothing from the developer's own AWS setup (profiles, session tokens, endpoints) leaks into a run.
 * HOME and PATH stay: the CLI may live in a per-user install (pyenv, pipx).
 */
export function cleanAwsEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, AWS_CONFIG_FILE: join(nowhere, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(nowhere, 'credentials') };
}

/** How a child process ended: its exit code (null when killed, e.g. at its timeout) and its output. */
export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file args` to its end and answers how it ended; never rejects, so a test can assert on a failure's output. */
export function runProcess(
  file: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; timeout: number; maxBuffer?: number },
): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(file, args, options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Credentials as the SDKs name them (an admin key pair, or temporary credentials with their token). */
export interface CliCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * One `aws <service> <args> --endpoint-url <endpoint> --output json` call, signed with `credentials`
 * in `region` and with nothing else of AWS's (cleanAwsEnv). Each call starts a Python interpreter:
 * a few seconds on a busy machine.
 */
export function awsCli(
  endpoint: string,
  credentials: CliCredentials,
  region: string,
  service: string,
  ...args: string[]
): Promise<ProcessRun> {
  const env: NodeJS.ProcessEnv = {
    ...cleanAwsEnv(),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_PAGER: '',
    ...(credentials.sessionToken !== undefined ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
  };
  return runProcess('aws', [service, ...args, '--endpoint-url', endpoint, '--output', 'json'], { env, timeout: 120_000 });
}

/** The JSON a successful CLI call printed; fails the test with the CLI's output when it did not succeed. */
export function cliJson<T = Record<string, unknown>>(run: ProcessRun): T {
  assert.equal(run.code, 0, `aws failed:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
