import { test } from 'node:test';
import assert from 'node:assert/strict';
import { efficiencyTable, type PathResult, type Report, type Run, type TargetSummary } from '../../bench/report.js';

/*
 * The efficiency table of the benchmark's report: the server's CPU per operation against the
 * crypto's own (cores / ceiling rate, since the ceiling ran with every core busy), and their ratio.
 */

const COGNATE: TargetSummary = { id: 'cognate-sqlite', kind: 'cognate', label: 'Cognate (SQLite)' };
const PEER: TargetSummary = { id: 'cognito-local', kind: 'cognito-local', label: 'cognito-local' };

function run(concurrency: number, opsPerSec: number, cpuPercent: number): Run {
  return {
    concurrency,
    durationSec: 4,
    opsPerSec,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    cpuPercent,
    clientCpuPercent: 10,
    loadGenerator: 'wrk',
    peakRssBytes: 0,
    peakSinceStart: false,
  };
}

function report(paths: PathResult[]): Report {
  return {
    machine: { cpus: 2 },
    targets: [COGNATE, PEER],
    ceilings: [{ id: 'refresh', work: 'one RS256 signature', perSec: 4000, samples: [4000] }],
    paths,
  } as unknown as Report;
}

test("a row per Cognate run of a path with a ceiling: the server's CPU per op, the crypto's, and their ratio", () => {
  const table = efficiencyTable(
    report([
      // 2 cores / 4,000/s = 0.5 ms of crypto per op; 160% of a core at 2,000/s = 0.8 ms of server CPU.
      { path: 'refresh', title: 'Refresh', target: COGNATE.id, ceiling: 'refresh', runs: [run(16, 2000, 160)] },
      // The peer and a path without a ceiling have no row.
      { path: 'refresh', title: 'Refresh', target: PEER.id, ceiling: 'refresh', runs: [run(16, 1000, 100)] },
      { path: 'sign-up', title: 'SignUp', target: COGNATE.id, runs: [run(16, 100, 100)] },
    ]),
  )!;
  const rows = table.split('\n').slice(2);
  assert.equal(rows.length, 1);
  assert.deepEqual(
    rows[0]!
      .split('|')
      .map((cell) => cell.trim())
      .slice(1, -1),
    ['Refresh', 'Cognate (SQLite)', '16', '0.800', '0.500', '63%'],
  );
});

test('no table when no run can be judged', () => {
  assert.equal(
    efficiencyTable(report([{ path: 'refresh', title: 'Refresh', target: COGNATE.id, ceiling: 'refresh', runs: [run(16, 0, 0)] }])),
    undefined,
  );
});
