/**
 * Remembers what a row's stored text was turned into, so that reading the same row again skips
 * the work while the text is unchanged.
 *
 * Every request reads its pool and its app client, and their records are built from large JSON
 * columns (a pool's configuration is kilobytes) and, for clients, sealed secrets. The row is still
 * read on every request, so a change made by any process or node is seen at once: only the
 * parsing and unsealing of text already seen is saved. The values handed out are deeply frozen
 * because every reader shares them; code that derives a new record copies (`{ ...record }`).
 */
export class RowMemo<T> {
  private readonly entries = new Map<string, { sources: readonly (string | null)[]; value: T }>();

  constructor(private readonly maxEntries = 1024) {}

  /** The value built from `sources` for the row `key`, built by `build` when the sources changed. */
  get(key: string, sources: readonly (string | null)[], build: () => T): T {
    const hit = this.entries.get(key);
    if (hit && hit.sources.length === sources.length && hit.sources.every((source, i) => source === sources[i])) return hit.value;
    const value = deepFreeze(build());
    if (!hit && this.entries.size >= this.maxEntries) {
      // Forget the oldest row: the memo is for the few hot rows, not a copy of the table.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { sources, value });
    return value;
  }
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
