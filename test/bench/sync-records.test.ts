import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncRecords } from '../../bench/sync-records.js';

/*
 * The sync-update-records path's book of records: no record is updated by two operations at once,
 * and each update names the SyncCount the last one answered, so none conflicts.
 */

const seeded = () =>
  new SyncRecords(
    [
      { key: 'a', syncCount: 1 },
      { key: 'b', syncCount: 2 },
    ],
    2,
  );

test('a record taken is not handed out again until it is given back', () => {
  const records = seeded();
  const first = records.take();
  const second = records.take();
  assert.deepEqual([first?.key, second?.key], ['a', 'b']);
  assert.equal(records.take(), undefined);
  records.giveBack(first!, 7);
  assert.deepEqual(records.take(), { key: 'a', syncCount: 7 });
});

test('a record given back without a new count keeps the one it had', () => {
  const records = seeded();
  const turn = records.take()!;
  records.giveBack(turn);
  records.take();
  assert.deepEqual(records.take(), { key: 'a', syncCount: 1 });
});

test("the dataset's sync count seen only rises, from listings and updates alike", () => {
  const records = seeded();
  records.seen(5);
  records.seen(3);
  assert.equal(records.datasetSyncCount, 5);
  records.giveBack(records.take()!, 9);
  assert.equal(records.datasetSyncCount, 9);
});

test("the seeded records are the book's own: the caller's list changing later changes nothing", () => {
  const seededList = [{ key: 'a', syncCount: 1 }];
  const records = new SyncRecords(seededList, 1);
  seededList[0]!.syncCount = 99;
  assert.deepEqual(records.take(), { key: 'a', syncCount: 1 });
});
