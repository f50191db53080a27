/**
 * Promised values kept for `ttlMs` by key; a rejected one is forgotten at once.
 * Holds at most `maxSize` keys: a full cache starts over.
 */
export class TtlCache<V> {
  readonly #entries = new Map<
    string,
    { expiresAt: number; value: Promise<V> }
  >();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxSize: number;
      now: () => Date;
    },
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.options.now().getTime();
    const cached = this.#entries.get(key);
    if (cached && cached.expiresAt > now) {
      return cached.value;
    }
    if (this.#entries.size >= this.options.maxSize) {
      this.#entries.clear();
    }
    const value = load();
    this.#entries.set(key, { expiresAt: now + this.options.ttlMs, value });
    value.catch(() => this.#entries.delete(key));
    return value;
  }
}
