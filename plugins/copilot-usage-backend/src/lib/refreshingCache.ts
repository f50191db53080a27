interface Entry<V> {
  expiresAt: number;
  value: Promise<V>;
  settled: boolean;
  refreshing: boolean;
}

/**
 * Promised values by key, fresh for `ttlMs`. Once expired, a value is answered
 * once more while a single refresh runs in the background (so that many keys
 * expiring at once never stall requests): a value is at most `ttlMs` plus one
 * load old. A rejected load is forgotten at once (a failed refresh keeps
 * nothing stale either). {@link invalidate} forgets everything, including
 * loads under way, whose answers may predate it.
 */
export class RefreshingCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  #generation = 0;
  readonly #ttlMs: number;
  readonly #maxSize: number;
  readonly #now: () => number;

  constructor(options: {
    ttlMs: number;
    /** Keys kept at most; a full cache starts over. */
    maxSize: number;
    now?: () => number;
  }) {
    this.#ttlMs = options.ttlMs;
    this.#maxSize = options.maxSize;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    const cached = this.#entries.get(key);
    if (cached) {
      if (cached.expiresAt > this.#now() || !cached.settled) {
        return cached.value;
      }
      if (!cached.refreshing) {
        cached.refreshing = true;
        this.#load(key, load).catch(() => {});
      }
      return cached.value;
    }
    if (this.#entries.size >= this.#maxSize) {
      this.#entries.clear();
    }
    const entry = this.#load(key, load);
    return entry;
  }

  /** Loads `key`; its entry replaces the cached one once settled (at once when there is none). */
  #load(key: string, load: () => Promise<V>): Promise<V> {
    const generation = this.#generation;
    const value = load();
    const entry: Entry<V> = {
      expiresAt: this.#now() + this.#ttlMs,
      value,
      settled: false,
      refreshing: false,
    };
    const isCurrent = () => generation === this.#generation;
    if (!this.#entries.has(key)) {
      this.#entries.set(key, entry);
    }
    value.then(
      () => {
        entry.settled = true;
        entry.expiresAt = this.#now() + this.#ttlMs;
        if (isCurrent()) this.#entries.set(key, entry);
      },
      () => {
        const current = this.#entries.get(key);
        // The failed load's own entry, or the stale one it was refreshing.
        if (current === entry || (current && current.refreshing)) {
          this.#entries.delete(key);
        }
      },
    );
    return value;
  }
}
