/**
 * The `cognate` command as a user runs it: `node --import tsx src/cli.ts <command>` in a child
 * process, from any folder, with no COGNATE_* variables but those the test gives.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
// tsx by its installed location, so the command runs from any folder.
const TSX = import.meta.resolve('tsx');

/** The environment of this process without its COGNATE_* variables (test-runner ones included). */
export function withoutCognateVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('COGNATE_')));
}

function cognateEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...withoutCognateVariables(process.env), ...env };
}

/**
 * How long a spawned command may take to start listening. It compiles the whole server through tsx
 * first: seconds on a quiet machine, but far longer when the suite's other files load both cores,
 * and a deadline is there to catch a hang, not to time the start.
 */
export const START_DEADLINE_MS = 90_000;

/** A running `cognate start`. */
export interface RunningCognate {
  /** The endpoint it printed. */
  url: string;
  output(): string;
  /** Stops it with SIGTERM and resolves with its exit code; SIGKILL and a failure after `deadlineMs`. */
  stop(deadlineMs?: number): Promise<number | null>;
}

/**
 * Starts `cognate start` in `cwd` with the given variables and resolves once it prints that it is
 * listening; rejects with its output if it exits first or does not listen within `deadlineMs`.
 */
export function startCognate(env: Record<string, string>, cwd: string, deadlineMs = START_DEADLINE_MS): Promise<RunningCognate> {
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'start'], { cwd, env: cognateEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async (stopDeadlineMs = 15_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`cognate start still running ${stopDeadlineMs} ms after SIGTERM:\n${out}`));
      }, stopDeadlineMs);
    });
    try {
      return await Promise.race([exited, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return new Promise<RunningCognate>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Said first: stopping it ends the process, which would otherwise be reported as an early exit.
      reject(new Error(`cognate start did not listen within ${deadlineMs} ms:\n${out}`));
      void stop();
    }, deadlineMs);
    const check = (): void => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve({ url: match[1]!, output: () => out, stop });
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`cognate start exited (${code}) before listening:\n${out}`));
    });
  });
}

/** Runs `cognate <args>` in `cwd` to its end (killed, and failed, after `timeoutMs`) and returns what it printed. */
export async function runCognate(
  args: string[],
  env: Record<string, string>,
  cwd: string,
  timeoutMs = START_DEADLINE_MS + 30_000,
): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: cognateEnv(env),
    timeout: timeoutMs,
  });
  return stdout;
}
