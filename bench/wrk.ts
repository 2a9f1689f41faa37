import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type autocannon from 'autocannon';

/**
 * wrk (Debian's package) as the load generator for a fixed request: the same bytes on every send,
 * so no per-request script runs. wrk is written in C and costs a few microseconds of CPU a request,
 * against about 40 for autocannon; on a 2-core machine shared with the server, that difference is
 * CPU the server gets back. Paths whose requests change on every send stay on autocannon.
 */

export interface WrkResult {
  requests: number;
  durationSec: number;
  /** Answers of status 400 and above. */
  failed: number;
  /** Connect, read and write errors and timeouts. */
  errors: number;
  /** The latency (ms) at each 0.1% step: quantilesMs[i] is the (i + 1) / 10 percentile. */
  quantilesMs: number[];
}

let available: boolean | undefined;

/** True when `wrk` is on the PATH (checked once). */
export function wrkAvailable(): boolean {
  available ??= spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
  return available;
}

/** A Lua string literal for any bytes: every byte outside plain ASCII letters and digits as \ddd. */
function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += /[A-Za-z0-9 ]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, '0')}`;
  }
  return `${out}"`;
}

/**
 * Printed by wrk when the run ends: the totals, and the latency distribution as 1,000 quantiles so
 * the runs of several wrk processes (one per node) can be merged.
 */
const REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("COGNATE-TOTALS %d %d %d %d\\n", summary.duration, summary.requests, e.status, e.connect + e.read + e.write + e.timeout))
  local q = {}
  for i = 1, 999 do q[i] = string.format("%d", latency:percentile(i / 10)) end
  -- wrk answers 0 for the 100th percentile; the maximum is that.
  q[1000] = string.format("%d", latency.max)
  io.write("COGNATE-QUANTILES " .. table.concat(q, " ") .. "\\n")
end
`;

/** wrk's script for one request: method, headers and body, set once. */
export function wrkScript(request: autocannon.Request): string {
  const lines = [`wrk.method = ${luaString(request.method ?? 'GET')}`, `wrk.path = ${luaString(request.path ?? '/')}`];
  if (request.body !== undefined) lines.push(`wrk.body = ${luaString(String(request.body))}`);
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    // wrk sets Content-Length from the body itself.
    if (/^content-length$/i.test(name)) continue;
    lines.push(`wrk.headers[${luaString(name)}] = ${luaString(String(value))}`);
  }
  return `${lines.join('\n')}\n${REPORT}`;
}

/** Reads what {@link REPORT} printed. */
export function parseWrkReport(output: string): WrkResult {
  const totals = /^COGNATE-TOTALS (\d+) (\d+) (\d+) (\d+)$/m.exec(output);
  const quantiles = /^COGNATE-QUANTILES ([\d ]+)$/m.exec(output);
  if (!totals || !quantiles) throw new Error(`wrk printed no report:\n${output}`);
  return {
    durationSec: Number(totals[1]) / 1e6,
    requests: Number(totals[2]),
    failed: Number(totals[3]),
    errors: Number(totals[4]),
    quantilesMs: quantiles[1]!
      .trim()
      .split(' ')
      .map((us) => Number(us) / 1000),
  };
}

export interface WrkRun {
  pid: number;
  done: Promise<WrkResult>;
}

/**
 * Starts wrk with one thread (enough for tens of thousands of requests a second, and the smallest
 * share of the machine) and `connections` keep-alive connections for `durationSec`.
 */
export function startWrk(url: string, request: autocannon.Request, connections: number, durationSec: number): WrkRun {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-wrk-'));
  const script = join(dir, 'request.lua');
  writeFileSync(script, wrkScript(request));
  const child = spawn(
    'wrk',
    ['--threads', '1', '--connections', String(connections), '--duration', `${durationSec}s`, '--timeout', '30s', '--script', script, url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const done = new Promise<WrkResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`wrk exited with ${code}:\n${out}`));
      else {
        try {
          resolve(parseWrkReport(out));
        } catch (error) {
          reject(error as Error);
        }
      }
    });
  });
  return { pid: child.pid!, done };
}
