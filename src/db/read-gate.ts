/**
 * At most `slots` API reads in Neo4j at once; the rest wait here, in arrival order. Without it, a
 * burst of concurrent queries all runs inside Neo4j at once, and a write (an ingest batch is some
 * twenty statements in a row) waits behind every one of them for each of its statements: on a
 * small machine a watched file then takes tens of seconds to commit. Only API reads pass through a
 * gate; writes, the change feed, /health and the metrics do not.
 */
export class ReadGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.slots) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await work();
    } finally {
      // the slot passes straight to the next in line (running stays the same), or is freed
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** reads waiting for a slot now */
  queued(): number {
    return this.waiting.length;
  }
}
