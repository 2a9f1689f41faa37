/**
 * The records of the sync-update-records path's dataset and what a device knows of them. Cognito
 * Sync refuses a patch whose SyncCount is not its record's current one (ResourceConflictException),
 * so each operation takes a record no other operation in flight is updating, with the count the
 * last update of it answered, and gives it back with its new count. The dataset's sync count seen
 * last is the LastSyncCount of the next ListRecords: the device asks only for what changed since.
 */

/** Records in the Sync paths' dataset. */
export const SYNC_RECORDS = 1000;

export interface RecordTurn {
  key: string;
  /** The record's SyncCount as this device last saw it: the one its patch names. */
  syncCount: number;
}

export class SyncRecords {
  private readonly free: RecordTurn[];
  private seenSyncCount: number;

  /** `records`: each record's key and current SyncCount; `datasetSyncCount`: the dataset's. */
  constructor(records: readonly RecordTurn[], datasetSyncCount: number) {
    this.free = records.map((record) => ({ ...record }));
    this.seenSyncCount = datasetSyncCount;
  }

  /** The dataset's highest sync count answered so far. */
  get datasetSyncCount(): number {
    return this.seenSyncCount;
  }

  /** Notes a dataset sync count a ListRecords or an UpdateRecords answered (they only grow). */
  seen(datasetSyncCount: number): void {
    if (datasetSyncCount > this.seenSyncCount) this.seenSyncCount = datasetSyncCount;
  }

  /** A record free to update, kept from every other taker until it is given back; undefined when all are taken. */
  take(): RecordTurn | undefined {
    return this.free.shift();
  }

  /**
   * Gives a record back: with the SyncCount its update answered, or unchanged when the update did
   * not happen. A record whose update's outcome is unknown is not given back (its count is then
   * unknown too), so it is never sent with a stale count.
   */
  giveBack(turn: RecordTurn, newSyncCount?: number): void {
    const syncCount = newSyncCount ?? turn.syncCount;
    this.seen(syncCount);
    this.free.push({ key: turn.key, syncCount });
  }
}
