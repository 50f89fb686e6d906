import type { WriteActivity } from './write.js';

/**
 * Bounds how many API reads are inside Neo4j at once; the rest wait here, in arrival order.
 *
 * Without it, a burst of concurrent queries all runs inside Neo4j at once, and a write (an ingest
 * batch is some twenty statements in a row) waits behind every one of them for each of its
 * statements: on a small machine a watched file then takes tens of seconds to commit. So while this
 * process has a write in flight (`WriteActivity`, counted by write.ts), only `whileWriting` reads
 * go in; otherwise `slots` (0: no limit). Only API reads pass through a gate; writes, the change
 * feed, /health and the metrics do not. Writes by other processes are not seen here.
 */
export class ReadGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly stopListening: () => void;

  constructor(
    /** reads at once when nothing is being written; 0: no limit */
    readonly slots: number,
    /** reads at once while a write is in flight; 0: no different limit */
    readonly whileWriting = 0,
    private readonly writes?: WriteActivity,
  ) {
    this.stopListening = writes?.onIdle(() => this.admit()) ?? (() => {});
  }

  /** Stops following the write activity (it is the driver's, and outlives this gate's server). */
  close(): void {
    this.stopListening();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // a waiting read is counted as running by admit(), when its turn comes
    if (this.running >= this.limit() || this.waiting.length) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.admit();
    }
  }

  /** reads waiting for a slot now */
  queued(): number {
    return this.waiting.length;
  }

  private limit(): number {
    const open = this.slots || Number.POSITIVE_INFINITY;
    return this.whileWriting && this.writes?.inFlight() ? Math.min(open, this.whileWriting) : open;
  }

  /** lets waiting reads in, first come first, while there is room */
  private admit(): void {
    while (this.running < this.limit() && this.waiting.length) {
      this.running++;
      this.waiting.shift()!();
    }
  }
}
