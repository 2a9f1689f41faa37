/**
 * `npx tsx bench/user-import.ts [--rows 1000000] [--postgres URL]`: a user import job of a CSV of
 * `rows` users, run as Cognito's user import runs (GetCSVHeader, CreateUserImportJob, the CSV PUT
 * to its PreSignedUrl, StartUserImportJob, then DescribeUserImportJob until it ends), against a
 * server in its own process (bench/targets.ts).
 *
 * It prints the rows per second of wall time, and the server's CPU per row (from /proc, every
 * thread), whose inverse is the rate one core of the server sustains: that figure holds on any
 * machine, whatever else shares it, while the wall rate depends on what does. With `--postgres`
 * the server uses a schema of its own in that database (PostgreSQL's own CPU is not counted).
 * Meanwhile another caller sends a DescribeUserImportJob every 20 ms, and its latencies show how
 * long the import holds other requests up.
 */
import { parseArgs } from 'node:util';
import {
  CreateUserImportJobCommand,
  CreateUserPoolCommand,
  DescribeUserImportJobCommand,
  GetCSVHeaderCommand,
  StartUserImportJobCommand,
  type UserImportJobType,
} from '@aws-sdk/client-cognito-identity-provider';
import { createBenchSchema } from './postgres.js';
import { cpuSeconds, systemCpuSeconds } from './process-stats.js';
import { sdkClient } from './seed.js';
import { startCognate } from './targets.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, postgres: { type: 'string' } } });
const rows = Number(args.rows);
if (!Number.isInteger(rows) || rows < 1) {
  console.error('usage: npx tsx bench/user-import.ts [--rows N] [--postgres URL]');
  process.exit(2);
}

/** One CSV line per user over GetCSVHeader's columns: username, email (verified), names; the rest empty. */
function csvOf(header: readonly string[], count: number): string {
  const lines = [header.join(',')];
  const cell: Record<string, (i: number) => string> = {
    'cognito:username': (i) => `imported${i}`,
    'cognito:mfa_enabled': () => 'false',
    email: (i) => `imported${i}@example.com`,
    email_verified: () => 'true',
    given_name: (i) => `Given${i % 97}`,
    family_name: (i) => `Family${i % 89}`,
  };
  for (let i = 0; i < count; i++) lines.push(header.map((column) => cell[column]?.(i) ?? '').join(','));
  return `${lines.join('\n')}\n`;
}

// On PostgreSQL, a schema of its own, dropped at the end.
const schema = args.postgres === undefined ? undefined : await createBenchSchema(args.postgres);
const target = await startCognate({
  database: schema === undefined ? { kind: 'sqlite' } : { kind: 'postgres', url: schema.url },
  runner: 'tsx',
});
const sdk = sdkClient(target);
try {
  const pool = await sdk.send(new CreateUserPoolCommand({ PoolName: `import-${Date.now()}`, AutoVerifiedAttributes: ['email'] }));
  const poolId = pool.UserPool!.Id!;
  const header = (await sdk.send(new GetCSVHeaderCommand({ UserPoolId: poolId }))).CSVHeader!;
  const csv = csvOf(header, rows);
  const job = (
    await sdk.send(
      new CreateUserImportJobCommand({
        UserPoolId: poolId,
        JobName: 'bench',
        CloudWatchLogsRoleArn: 'arn:aws:iam::000000000000:role/CognitoImport',
      }),
    )
  ).UserImportJob!;
  const put = await fetch(job.PreSignedUrl!, { method: 'PUT', body: csv, headers: { 'x-amz-server-side-encryption': 'aws:kms' } });
  if (!put.ok) throw new Error(`the CSV upload answered ${put.status}: ${await put.text()}`);
  process.stderr.write(`uploaded ${rows} rows (${(csv.length / 1e6).toFixed(1)} MB)\n`);

  const cpuBefore = cpuSeconds(target.pid);
  const systemBefore = systemCpuSeconds(target.pid);
  const started = performance.now();
  await sdk.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
  // Another caller meanwhile, a request every 20 ms: how long the import makes it wait.
  let importing = true;
  const waits: number[] = [];
  const failed: string[] = [];
  const probe = (async () => {
    while (importing) {
      const sent = performance.now();
      try {
        await sdk.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }));
      } catch (error) {
        // A server held up long enough has the connection dropped: that request failed.
        failed.push(`${(error as Error).name} after ${((performance.now() - sent) / 1000).toFixed(1)} s`);
        continue;
      }
      waits.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  let state: UserImportJobType;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    state = (await sdk.send(new DescribeUserImportJobCommand({ UserPoolId: poolId, JobId: job.JobId! }))).UserImportJob!;
    const done = (state.ImportedUsers ?? 0) + (state.SkippedUsers ?? 0) + (state.FailedUsers ?? 0);
    process.stderr.write(`  ${state.Status}: ${done}/${rows}\n`);
    if (!['Pending', 'InProgress'].includes(state.Status!)) break;
  }
  const seconds = (performance.now() - started) / 1000;
  importing = false;
  await probe;
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  const system = systemCpuSeconds(target.pid) - systemBefore;
  if (state.Status !== 'Succeeded' || state.ImportedUsers !== rows) {
    throw new Error(
      `the job ended ${state.Status} (${state.CompletionMessage}): ${state.ImportedUsers} imported, ${state.FailedUsers} failed`,
    );
  }
  const cpuPerRowUs = (cpu * 1e6) / rows;
  waits.sort((a, b) => a - b);
  const wait = (q: number): string => (waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0).toFixed(0);
  console.log(
    `${rows} rows on ${args.postgres === undefined ? 'SQLite' : 'PostgreSQL'}: ${Math.round(rows / seconds)} rows/s over ${seconds.toFixed(1)} s ` +
      `(polled every 0.5 s); server CPU ${cpuPerRowUs.toFixed(1)} µs per row (${((system * 1e6) / rows).toFixed(1)} of it in the kernel), ` +
      `${Math.round(1e6 / cpuPerRowUs)} rows per CPU-second; another caller's request took ${wait(0.5)} ms at the median, ` +
      `${wait(0.99)} ms at p99, ${wait(1)} ms at most (${waits.length} requests` +
      `${failed.length > 0 ? `; ${failed.length} failed: ${failed.join(', ')}` : ''})`,
  );
} finally {
  sdk.destroy();
  await target.stop();
  await schema?.drop();
}
