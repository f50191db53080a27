import type { CopilotUsageStore } from '../store/CopilotUsageStore';

/**
 * The routes' store reads, kept until the next write. Stored days only change
 * when something writes them (a sync, an import, an erasure, a restore), so a
 * read's answer stays right until then: {@link StoreReadCache.invalidatedBy}
 * wraps the store the writers use and drops everything the moment any write
 * method is called, and again when it finishes (a day's transaction may take a
 * while; a read that started before the write finished is not kept).
 *
 * Writes on another replica are not seen here: `ttlMs` bounds how long such a
 * write goes unseen (default 60 s; the sync runs on one replica at a time and
 * publishes a day at most once an hour anyway).
 *
 * Cached answers are shared between callers: callers must not mutate them
 * (they build new arrays and objects from them).
 */
export class StoreReadCache {
  readonly #entries = new Map<
    string,
    { expiresAt: number; value: Promise<unknown> }
  >();
  #generation = 0;
  readonly #ttlMs: number;
  readonly #maxSize: number;
  readonly #now: () => number;

  constructor(
    options: {
      ttlMs?: number;
      /** Entries kept at most; a full cache starts over. Default 5,000. */
      maxSize?: number;
      now?: () => number;
    } = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 60_000;
    this.#maxSize = options.maxSize ?? 5_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  /** Drops every kept answer, and any read under way when this is called. */
  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /**
   * The store with its reads (`get…`, `count…`, `list…`, `find…`, `is…`) but
   * `live` answered from the cache, keyed by method and arguments (JSON);
   * everything else passes through.
   */
  cached<T extends object>(store: T, live: ReadonlyArray<keyof T>): T {
    const uncached = new Set<PropertyKey>(live);
    return new Proxy(store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (
          !isRead(property) ||
          uncached.has(property) ||
          typeof value !== 'function'
        ) {
          return value;
        }
        return (...args: unknown[]) =>
          this.#read(`${String(property)}\u0000${JSON.stringify(args)}`, () =>
            value.apply(target, args),
          );
      },
    });
  }

  /**
   * The store with every method but the reads (`get…`, `count…`, `list…`,
   * `find…`, `is…`) invalidating the cache when called and when its promise
   * settles: whatever is not known to be a read counts as a write.
   */
  invalidatedBy<T extends object>(store: T): T {
    return new Proxy(store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (isRead(property) || typeof value !== 'function') {
          return value;
        }
        return (...args: unknown[]) => {
          this.invalidate();
          const result = value.apply(target, args);
          if (result instanceof Promise) {
            const after = () => this.invalidate();
            result.then(after, after);
          }
          return result;
        };
      },
    });
  }

  #read(key: string, load: () => Promise<unknown>): Promise<unknown> {
    const now = this.#now();
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > now) {
      return cached.value;
    }
    if (this.#entries.size >= this.#maxSize) {
      this.#entries.clear();
    }
    const generation = this.#generation;
    const value = load();
    const entry = { expiresAt: now + this.#ttlMs, value };
    this.#entries.set(key, entry);
    value.then(
      () => {
        // A write started while this read ran: its answer may predate the write.
        if (generation !== this.#generation) this.#forget(key, entry);
      },
      () => this.#forget(key, entry),
    );
    return value;
  }

  #forget(key: string, entry: unknown) {
    if (this.#entries.get(key) === entry) this.#entries.delete(key);
  }
}

const READ_METHOD = /^(get|count|list|find|is)[A-Z]/;

function isRead(property: PropertyKey): boolean {
  return typeof property === 'string' && READ_METHOD.test(property);
}

/**
 * Reads the routes must see as they are: the sync's and the restore's own
 * state (status, progress, leases), which change on another replica without a
 * write here. Every other read (`get…`, `count…`, `list…`) of the routes' store
 * is answered from the cache: metrics, coverage, teams, seats, per-user rows.
 */
export const LIVE_READS: ReadonlyArray<keyof CopilotUsageStore> = [
  'getSyncState',
  'listScopes',
  'getIngestionLog',
  'getRestoreState',
  'getArchiveState',
  'getDaysToArchive',
  'getImportsToArchive',
  'countImportsToArchive',
  'getReportLines',
  'isEmpty',
  'findUserData',
];
