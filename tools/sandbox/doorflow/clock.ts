/**
 * The sandbox's notion of "now". Group reservation states, token expiry and the sync rate limit
 * all read it, so tests move time instead of waiting. A ticking clock follows real time shifted
 * by whatever `set`/`advance` added (the CLI and the demo); a frozen one moves only when told.
 */
export class SandboxClock {
  private frozenAt: number | null;
  private offsetMs = 0;

  constructor(initial?: Date, ticking = initial === undefined) {
    const start = initial?.getTime() ?? Date.now();
    if (ticking) {
      this.frozenAt = null;
      this.offsetMs = start - Date.now();
    } else {
      this.frozenAt = start;
    }
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  set(at: Date): void {
    if (this.frozenAt === null) this.offsetMs = at.getTime() - Date.now();
    else this.frozenAt = at.getTime();
  }

  advance(ms: number): void {
    if (this.frozenAt === null) this.offsetMs += ms;
    else this.frozenAt += ms;
  }
}
