import { execFileSync } from 'node:child_process';
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
