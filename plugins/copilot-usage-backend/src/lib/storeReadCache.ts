import type { CopilotUsageStore } from '../store/CopilotUsageStore';
import { RefreshingCache } from './refreshingCache';

/**
 * The routes' store reads, kept until the next write. Stored days only change
 * when something writes them (a sync, an import, an erasure, a restore), so a
 * read's answer stays right until then: {@link StoreReadCache.invalidatedBy}
 * wraps the store the writers use and drops everything the moment any write
 * method is called, and again when it finishes (a day's transaction may take a
 * while; a read that started before the write finished is not kept).
 *
 * Writes on another replica are not seen here: `ttlMs` (default 60 s) plus one
 * read bounds how long such a write goes unseen (an expired answer is given
 * once more while it is read again, see {@link RefreshingCache}).
 *
 * Cached answers are shared between callers: callers must not mutate them
 * (they build new arrays and objects from them).
 */
export class StoreReadCache {
  readonly #cache: RefreshingCache<unknown>;

  constructor(
    options: {
      ttlMs?: number;
      /** Entries kept at most; a full cache starts over. Default 5,000. */
      maxSize?: number;
      now?: () => number;
    } = {},
  ) {
    this.#cache = new RefreshingCache({
      ttlMs: options.ttlMs ?? 60_000,
      maxSize: options.maxSize ?? 5_000,
      now: options.now,
    });
  }

  /** How many answers are kept (for tests). */
  get size(): number {
    return this.#cache.size;
  }

  /** Drops every kept answer, and any read under way when this is called. */
  invalidate(): void {
    this.#cache.invalidate();
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
    return this.#cache.get(key, load);
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
