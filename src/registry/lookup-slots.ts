/**
 * How many lookups talk to one registry at once. At most `size` lookups per registry send
 * requests at the same time; the others wait their turn without spending their time budget.
 * (The budget bounds how long a registry may take to answer one lookup. Counted from when the
 * lookup was queued, a 5,000-package lockfile ran most lookups out of budget while they waited,
 * and reported them `unverified`: bench/README.md.) Requests per host are bounded again below,
 * in http.ts's HostLimiter, and pypistats' own rate limits live in pypistats.ts.
 */

/** A counting semaphore whose slot passes straight to the next waiter. */
export class LookupSlots {
  #free: number;
  readonly #queue: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#queue.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** One {@link LookupSlots} per registry, made on first use. */
export class RegistrySlots {
  readonly #size: number;
  readonly #byRegistry = new Map<string, LookupSlots>();

  constructor(size: number) {
    this.#size = size;
  }

  /** Run `fn` when `registry` has a free slot. */
  run<T>(registry: string, fn: () => Promise<T>): Promise<T> {
    let slots = this.#byRegistry.get(registry);
    if (!slots) this.#byRegistry.set(registry, (slots = new LookupSlots(this.#size)));
    return slots.run(fn);
  }
}
