import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';
import type { Services } from '../services.js';
import type { AliasField, UserImportJobRecord, UserPoolRecord, UserRecord } from '../store/ports.js';
import { CognitoError } from '../errors/cognito-error.js';
import { headerProblem, readImportRow, RowProblem } from '../domain/user-import.js';
import { withMfaSettings } from '../domain/mfa.js';
import { newUserRecord } from '../auth/new-user.js';
import { claimAliases } from '../auth/aliases.js';
import { aliasExistsMessage } from '../auth/user-attributes.js';
import { usernameKey } from '../auth/resolve-user.js';
import { newUuid } from '../lib/ids.js';

/*
 * Runs a started user import job: reads its CSV row by row, checks each row against the pool's
 * rules as a new user's (schema, aliases, an existing user), and inserts the users it accepts in
 * RESET_REQUIRED a batch at a time in one transaction (no trigger runs for an imported user, so
 * the store is all it needs). Each row is logged as Cognito logs it to CloudWatch
 * ("[FAILED] Line Number 5956 - …", never a value), and the counts are saved after each batch so
 * DescribeUserImportJob shows progress.
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-using-import-tool-cloudwatch.html
 */

/**
 * Rows read per batch, whose users are inserted in one transaction; the counts are saved after
 * each, which is also how soon a stop is noticed. The first batch has MIN_BATCH_ROWS; each next one
 * is sized from the last so that its transaction holds the database for about BATCH_BUDGET_MS
 * (SQLite has one connection: every other request waits meanwhile), growing at most twofold a
 * batch, and never below the first: smaller batches cost more per row (their queries, commit and
 * saved counts), and PostgreSQL's transactions hold no other request up. Larger batches write fewer
 * pages per row (a page of an index takes all the batch's entries at once): here batches settled
 * at 800 to 1,200 rows.
 */
const MIN_BATCH_ROWS = 500;
const MAX_BATCH_ROWS = 5000;
const BATCH_BUDGET_MS = 25;
const RECENT_BATCHES = 8;

/** How long the runner reads rows between turns of the event loop, in which other requests run. */
const SLICE_MS = 2;

/** Bytes of the file handed to the parser at a time, so that it parses as the rows are taken. */
export const CSV_SLICE_BYTES = 64 * 1024;

export const COMPLETED_MESSAGE = 'Import Job Completed Successfully.';
export const STOPPED_MESSAGE = 'The import job was stopped.';
export const NO_FILE_MESSAGE = 'No CSV file was uploaded to the pre-signed URL before the job was started.';
const EMPTY_FILE_MESSAGE = 'The CSV file is empty.';
const INTERNAL_MESSAGE = 'The import job failed because of an internal error.';
const USER_EXISTS = 'The user already exists.';

type RowResult = 'SUCCEEDED' | 'SKIPPED' | 'FAILED';

interface RowOutcome {
  result: RowResult;
  reason: string;
}

/** A row accepted and waiting for its batch's insert. */
interface Accepted {
  line: number;
  user: UserRecord;
}

/** What one job run keeps between rows. */
interface Run {
  readonly services: Services;
  readonly pool: UserPoolRecord;
  job: UserImportJobRecord;
  /** Username keys of the rows this job accepted: a second row with one of them fails. */
  readonly usernames: Set<string>;
  /** The sign-in aliases the accepted rows hold (`<field>:<value>`), which the database does not show until their batch is in. */
  readonly aliases: Set<string>;
  batch: Accepted[];
  /** The first 8 hex digits of the subs of the batch being read (see {@link batchSub}). */
  subPrefix: string;
  /** Rows to read into the next batch. */
  batchRows: number;
  /** Milliseconds per row of the last few batches (see {@link resizeBatches}). */
  readonly rowCosts: number[];
}

function outcome(result: RowResult, reason: string): RowOutcome {
  return { result, reason };
}

/**
 * A random (version 4) UUID for a user of the batch: the batch's users share its first 32 bits,
 * drawn again for every batch, and each has 90 random bits of its own. The sub index is ordered by
 * sub: with independent subs each row of a batch lands on a page of its own, so a batch of 500
 * wrote some 500 pages of that index (at the commit and again at the checkpoint), the largest
 * share of an import's writes; a batch's subs together fill a page or two. Subs stay unique and
 * unguessable, and tell no more than the users' creation dates (one batch is imported at once).
 */
function batchSub(run: Run): string {
  return `${run.subPrefix}${newUuid().slice(8)}`;
}

/**
 * The user a row makes. In pools that sign in with email or phone (UsernameAttributes), the
 * `cognito:username` must be the row's email or phone number, and the username becomes the
 * user's `sub`, as with AdminCreateUser.
 */
function draftFor(run: Run, username: string, attributes: Record<string, string>, mfaEnabled: boolean): UserRecord | RowOutcome {
  const { pool } = run;
  const sub = batchSub(run);
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  if (usernameAttributes.length > 0 && !usernameAttributes.some((attribute) => attributes[attribute] === username)) {
    return outcome(
      'FAILED',
      `The value of cognito:username must be the user's ${usernameAttributes.join(' or ')}, which the user pool signs in with.`,
    );
  }
  const draft = newUserRecord(pool, {
    username: usernameAttributes.length > 0 ? sub : username,
    sub,
    status: 'RESET_REQUIRED',
    attributes,
    now: run.services.clock.now(),
  });
  return mfaEnabled ? withMfaSettings(draft, { enabled: ['SMS_MFA'], preferred: undefined }) : draft;
}

const ALIAS_FIELDS: readonly AliasField[] = ['email', 'phone_number', 'preferred_username'];

/**
 * The sign-in values a new user holds that no other user may hold (see claimAliases): email and
 * phone in pools that sign in with them, and as aliases once verified; preferred_username as an
 * alias. Emails compare without case.
 */
function aliasesOf(pool: UserPoolRecord, attributes: Readonly<Record<string, string>>): Array<{ field: AliasField; key: string }> {
  const usernameAttributes = new Set<string>(pool.config.UsernameAttributes ?? []);
  const aliasAttributes = new Set<string>(pool.config.AliasAttributes ?? []);
  return ALIAS_FIELDS.flatMap((field) => {
    const value = attributes[field];
    if (!value || !(usernameAttributes.has(field) || aliasAttributes.has(field))) return [];
    if (field !== 'preferred_username' && !usernameAttributes.has(field) && attributes[`${field}_verified`] !== 'true') return [];
    return [{ field, key: `${field}:${field === 'email' ? value.toLowerCase() : value}` }];
  });
}

/** Checks one row; an accepted row joins the batch. */
async function importRow(run: Run, line: number, header: readonly string[], cells: readonly string[]): Promise<RowOutcome | undefined> {
  const { services, pool } = run;
  let row;
  try {
    row = readImportRow(pool.config, header, cells);
  } catch (error) {
    if (error instanceof RowProblem) return outcome('FAILED', error.message);
    throw error;
  }
  const draft = draftFor(run, row.username, row.attributes, row.mfaEnabled);
  if (!('poolId' in draft)) return draft;
  const key = usernameKey(pool, (pool.config.UsernameAttributes ?? []).length > 0 ? row.username : draft.username);
  if (run.usernames.has(key)) return outcome('FAILED', 'The username appears on an earlier line of the file.');
  // Whether a user of that name exists is asked for the whole batch at once (flush).
  const aliases = aliasesOf(pool, row.attributes);
  const taken = aliases.find((alias) => run.aliases.has(alias.key));
  if (taken) return outcome('FAILED', aliasExistsMessage(taken.field));
  try {
    // Without ForceAliasCreation a new user never takes an alias from another: it is refused instead.
    await claimAliases(services, pool, { user: draft, written: new Set(Object.keys(row.attributes)), operation: 'create', force: false });
  } catch (error) {
    // In pools that sign in with email or phone, that value is the user's name: the user exists.
    if (error instanceof CognitoError && error.type === 'UsernameExistsException') return outcome('SKIPPED', USER_EXISTS);
    if (error instanceof CognitoError) return outcome('FAILED', error.message);
    throw error;
  }
  run.usernames.add(key);
  for (const alias of aliases) run.aliases.add(alias.key);
  run.batch.push({ line, user: draft });
  return undefined;
}

/**
 * Inserts the batch in one transaction. A row whose username a user of the pool already holds is
 * skipped (one query for the batch, rather than one per row: the import's largest cost). A
 * username another request took since that query is skipped by the insert too; those rows are
 * counted as skipped users.
 */
async function flush(run: Run): Promise<void> {
  const batch = run.batch;
  if (batch.length === 0) return;
  run.batch = [];
  run.subPrefix = newUuid().slice(0, 8);
  const began = performance.now();
  const { store } = run.services;
  const taken = await store.users.takenUsernameKeys(
    run.pool.id,
    batch.map((accepted) => accepted.user.usernameKey),
  );
  const fresh = batch.filter((accepted) => !taken.has(accepted.user.usernameKey));
  const inserted = fresh.length === 0 ? 0 : await store.transaction((tx) => tx.users.insertMany(fresh.map((accepted) => accepted.user)));
  resizeBatches(run, batch.length, performance.now() - began);
  for (const accepted of batch) {
    const row = taken.has(accepted.user.usernameKey) ? outcome('SKIPPED', USER_EXISTS) : outcome('SUCCEEDED', 'The import succeeded.');
    logRow(run, accepted.line, row);
  }
  run.job = {
    ...run.job,
    importedUsers: run.job.importedUsers + inserted,
    skippedUsers: run.job.skippedUsers + (batch.length - inserted),
  };
}

/**
 * Sizes the next batch from how long this one's `users` rows held the database. The cost of a row
 * is the least of the last few batches': a batch also waits for other processes (on a busy
 * machine one of 100 rows took from 4 to 280 ms) and now and then for SQLite's checkpoint, and
 * neither grows with the batch, whereas sizing from them shrank the batches to 100 rows, which
 * cost a fifth more CPU per row than 500.
 */
function resizeBatches(run: Run, users: number, ms: number): void {
  // A batch of a few users (the last, or one of mostly failed rows) says little of the rate.
  if (users < MIN_BATCH_ROWS) return;
  run.rowCosts.push(ms / users);
  if (run.rowCosts.length > RECENT_BATCHES) run.rowCosts.shift();
  run.batchRows = nextBatchRows(run.batchRows, run.rowCosts);
}

/** The rows of the next batch, after one of `rows`, given the milliseconds per row of the last batches. */
export function nextBatchRows(rows: number, rowCosts: readonly number[]): number {
  const fitting = Math.floor(BATCH_BUDGET_MS / Math.max(Math.min(...rowCosts), 0.001));
  return Math.max(MIN_BATCH_ROWS, Math.min(MAX_BATCH_ROWS, 2 * rows, fitting));
}

/** The file's bytes a slice at a time (the parser keeps a character cut at a slice's end for the next). */
function* slices(csv: string): Generator<Buffer> {
  const bytes = Buffer.from(csv, 'utf8');
  for (let at = 0; at < bytes.length; at += CSV_SLICE_BYTES) yield bytes.subarray(at, at + CSV_SLICE_BYTES);
}

function count(job: UserImportJobRecord, result: RowResult): UserImportJobRecord {
  if (result === 'SUCCEEDED') return { ...job, importedUsers: job.importedUsers + 1 };
  if (result === 'SKIPPED') return { ...job, skippedUsers: job.skippedUsers + 1 };
  return { ...job, failedUsers: job.failedUsers + 1 };
}

/** Ends the job in `status` with `message`, if it is still running; false when it was stopped meanwhile. */
async function finish(run: Run, status: 'Succeeded' | 'Failed', message: string): Promise<boolean> {
  const done = { ...run.job, status, completionMessage: message, completedAt: run.services.clock.now() };
  if (!(await run.services.store.userImportJobs.update(done, ['InProgress']))) return false;
  run.job = done;
  return true;
}

/** A job that StopUserImportJob moved to Stopping ends Stopped, with the counts so far. */
async function settleStop(run: Run): Promise<void> {
  const stopped = { ...run.job, status: 'Stopped' as const, completionMessage: STOPPED_MESSAGE, completedAt: run.services.clock.now() };
  await run.services.store.userImportJobs.update(stopped, ['Stopping']);
}

/** Saves the counts; false when the job is no longer InProgress (it is being stopped). */
async function saveProgress(run: Run): Promise<boolean> {
  return run.services.store.userImportJobs.update(run.job, ['InProgress']);
}

function logRow(run: Run, line: number, row: RowOutcome): void {
  const fields = { poolId: run.pool.id, jobId: run.job.jobId, line, result: row.result };
  const text = `[${row.result}] Line Number ${line} - ${row.reason}`;
  if (row.result === 'SUCCEEDED') run.services.logger.debug(fields, text);
  else run.services.logger.info(fields, text);
}

/** Reads the rows and imports them; returns the job's final status and message, or 'stopped'. */
async function importFile(run: Run, csv: string): Promise<{ status: 'Succeeded' | 'Failed'; message: string } | 'stopped'> {
  // Rows may have another number of cells than the header: that row fails, the rest goes on.
  // Handed over a slice at a time: given the whole file, the parser would parse every row at once,
  // holding every other request for seconds.
  const parser = Readable.from(slices(csv)).pipe(parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | undefined;
  let unsaved = 0;
  let resumed = performance.now();
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === undefined) {
        header = record.map((column) => column.trim());
        const problem = headerProblem(run.pool.config, header);
        if (problem !== undefined) return { status: 'Failed', message: problem };
        continue;
      }
      // SQLite answers synchronously: without turns of the event loop, an import would hold every
      // other request until it ended. A turn per row cost a poll of the sockets per row.
      if (performance.now() - resumed >= SLICE_MS) {
        await nextTurn();
        resumed = performance.now();
      }
      const row = await importRow(run, info.lines, header, record);
      if (row !== undefined) {
        logRow(run, info.lines, row);
        run.job = count(run.job, row.result);
      }
      if (++unsaved >= run.batchRows) {
        unsaved = 0;
        await flush(run);
        if (!(await saveProgress(run))) return 'stopped';
      }
    }
    await flush(run);
  } catch (error) {
    // The parser's message can quote the file; its code and line cannot.
    if (error instanceof CsvError) {
      await flush(run);
      return { status: 'Failed', message: `The CSV file could not be parsed (${error.code} at line ${parser.info.lines}).` };
    }
    throw error;
  }
  if (header === undefined) return { status: 'Failed', message: EMPTY_FILE_MESSAGE };
  return { status: 'Succeeded', message: COMPLETED_MESSAGE };
}

async function run(services: Services, poolId: string, jobId: string): Promise<void> {
  const pending = await services.store.userImportJobs.get(poolId, jobId);
  const pool = await services.store.pools.get(poolId);
  if (!pending || !pool) return;
  const state: Run = {
    services,
    pool,
    job: { ...pending, status: 'InProgress' },
    usernames: new Set(),
    aliases: new Set(),
    batch: [],
    subPrefix: newUuid().slice(0, 8),
    batchRows: MIN_BATCH_ROWS,
    rowCosts: [],
  };
  // Stopped before it began: it ends Stopped with nothing imported.
  if (pending.status !== 'Pending' || !(await services.store.userImportJobs.update(state.job, ['Pending']))) {
    state.job = pending;
    return settleStop(state);
  }
  const csv = await services.store.userImportJobs.getCsv(poolId, jobId);
  const end = csv === undefined ? { status: 'Failed' as const, message: NO_FILE_MESSAGE } : await importFile(state, csv);
  if (end === 'stopped' || !(await finish(state, end.status, end.message))) return settleStop(state);
  services.logger.info(
    {
      poolId,
      jobId,
      status: end.status,
      imported: state.job.importedUsers,
      skipped: state.job.skippedUsers,
      failed: state.job.failedUsers,
    },
    'user import job ended',
  );
}

/**
 * Runs a job StartUserImportJob moved to Pending, in the background of this node: the request
 * that started it has already been answered. Never rejects: a fault fails the job and is logged.
 */
export async function runUserImport(services: Services, poolId: string, jobId: string): Promise<void> {
  try {
    await run(services, poolId, jobId);
  } catch (error) {
    services.logger.error({ err: error, poolId, jobId }, 'user import job failed');
    try {
      const job = await services.store.userImportJobs.get(poolId, jobId);
      if (job) {
        const failed = { ...job, status: 'Failed' as const, completionMessage: INTERNAL_MESSAGE, completedAt: services.clock.now() };
        await services.store.userImportJobs.update(failed, ['Pending', 'InProgress', 'Stopping']);
      }
    } catch (again) {
      services.logger.error({ err: again, poolId, jobId }, 'user import job could not be marked failed');
    }
  }
}
