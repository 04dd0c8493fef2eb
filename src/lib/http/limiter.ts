/**
 * A first-come-first-served concurrency limit. Waiters are served in arrival order so that a busy
 * client cannot starve an early caller (an offboarding queued behind a bulk listing still goes next).
 */
export class FifoLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1))
      throw new RangeError("concurrency must be a whole number ≥ 1");
  }

  get inFlight(): number {
    return this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.limit) this.active++;
    // The releasing task hands its slot straight to us, so `active` is already counted.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
