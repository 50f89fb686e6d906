/**
 * Whether Neo4j can answer queries now, known within seconds even when it hangs instead of
 * refusing (a frozen process, a stalled network): a stopped server keeps its sockets open, so a
 * query on them never returns and the driver's timeouts, which cover connecting, never fire.
 * A heartbeat with a client-side deadline tells. While it fails, or while Neo4j answers but
 * still brings indexes online (after a crash it rebuilds them, and queries that need one wait
 * until the transaction timeout), database work is refused at once and work already waiting is
 * released, with DatabaseUnavailableError (the API's DATABASE_UNAVAILABLE); /health says 503.
 */
import { type Database, DatabaseUnavailableError, type Heartbeat, isDatabaseUnavailable } from './driver.js';

/** What one heartbeat learned: the indexes that are not ONLINE (empty: ready for queries). */
export interface HeartbeatAnswer {
  notOnline: string[];
}

export interface LivenessOptions {
  /** time between heartbeats */
  intervalMs?: number;
  /** a heartbeat not answered within this is a failure */
  deadlineMs?: number;
  /**
   * Run when Neo4j answers again after being unavailable (a restarted or thawed Neo4j is cold);
   * until it is done the state says not `warm` (/health 503), though queries are let through.
   */
  warmUp?: () => Promise<void>;
}

export interface LivenessState {
  /** answering, with every index online: queries can run */
  up: boolean;
  /** Neo4j answered the last heartbeat (it may still be bringing indexes online) */
  reachable: boolean;
  /** when a heartbeat was last answered, epoch ms (0: never) */
  lastAnswerAt: number;
  /** false while the warm-up after a recovery runs */
  warm: boolean;
  /** why the database counts as unavailable */
  reason?: string;
}

/** Neo4j answers but is not ready for queries yet (indexes coming online after a restart). */
export class DatabaseStartingError extends DatabaseUnavailableError {
  readonly starting = true;
}

/** A heartbeat unanswered this long is given up on (its connection may be dead for good) and another is sent. */
const ABANDON_AFTER_MS = 30_000;
/**
 * After being unavailable, Neo4j is cold for a while (a restarted JVM loads and compiles the query
 * machinery, plans every query anew): a query that times out then is the database's state, not a
 * query to narrow, so it is reported as unavailable.
 */
export const WARM_UP_MS = 60_000;
const TIMED_OUT = /TransactionTimedOut/;

export class Liveness implements Heartbeat {
  private unavailable: DatabaseUnavailableError | null = null;
  private reachable = true;
  private lastAnswerAt = 0;
  /** when the database was last seen unavailable, epoch ms (0: never) */
  private lastUnavailableAt = 0;
  /** when guarded work last got its answer, epoch ms */
  private lastProgressAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<void> | undefined;
  private unanswered: { since: number; settled: Promise<void> } | undefined;
  private readonly waiting = new Set<(err: Error) => void>();
  private readonly intervalMs: number;
  private readonly deadlineMs: number;
  private readonly warmUp: (() => Promise<void>) | undefined;
  private warm = true;
  private warming: Promise<void> | undefined;
  /** since the last recovery, Neo4j refused or dropped connections, or was starting: maybe a new, cold process */
  private restarted = false;

  constructor(
    private readonly probe: () => Promise<HeartbeatAnswer>,
    options: LivenessOptions = {},
  ) {
    // Detection within interval + deadline (3.5 s; the API promises DATABASE_UNAVAILABLE within 5 s);
    // a shorter deadline took a busy shared machine's slow answers for a frozen Neo4j.
    this.intervalMs = options.intervalMs ?? 500;
    this.deadlineMs = options.deadlineMs ?? 3_000;
    this.warmUp = options.warmUp;
  }

  /** Starts the heartbeat; the first one runs now. Until it is answered the database counts as available. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
    void this.beat();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  state(): LivenessState {
    return {
      up: !this.unavailable,
      reachable: this.reachable,
      lastAnswerAt: this.lastAnswerAt,
      warm: this.warm,
      reason: this.unavailable?.message,
    };
  }

  /**
   * Runs database work, or refuses it at once while the database is unavailable; rejects work
   * already waiting as soon as a heartbeat fails (its own answer, if it ever comes, is dropped).
   */
  guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.unavailable) return Promise.reject(this.unavailable);
    return new Promise<T>((resolve, reject) => {
      this.waiting.add(reject);
      work()
        .then(
          (value) => {
            this.lastProgressAt = Date.now();
            resolve(value);
          },
          (err: unknown) => reject(this.explain(err)),
        )
        .finally(() => this.waiting.delete(reject));
    });
  }

  /** Runs work that must not be refused (the warm-up), counting its answers as signs of life. */
  observe<T>(work: () => Promise<T>): Promise<T> {
    return work().then((value) => {
      this.lastProgressAt = Date.now();
      return value;
    });
  }

  private explain(err: unknown): unknown {
    const timedOut = TIMED_OUT.test(String((err as { code?: unknown })?.code ?? ''));
    if (timedOut && this.lastUnavailableAt && Date.now() - this.lastUnavailableAt < WARM_UP_MS) {
      return new DatabaseStartingError(
        'the graph database is warming up after being unavailable: the query timed out',
        { cause: err },
      );
    }
    return err;
  }

  private beat(): Promise<void> {
    // While a heartbeat is unanswered its answer is awaited instead of sending more: each would
    // hold a pooled connection until the database wakes up.
    if (this.unanswered && Date.now() - this.unanswered.since < ABANDON_AFTER_MS) {
      this.checkSilence();
      return this.unanswered.settled;
    }
    this.probing ??= this.runProbe().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async runProbe(): Promise<void> {
    const outstanding = { since: Date.now(), settled: Promise.resolve() };
    const done = () => {
      if (this.unanswered === outstanding) this.unanswered = undefined;
    };
    outstanding.settled = this.probe().then(
      ({ notOnline }) => {
        done();
        this.lastAnswerAt = Date.now();
        this.reachable = true;
        if (notOnline.length === 0) {
          const recovered = this.unavailable !== null;
          if (recovered) this.lastUnavailableAt = Date.now();
          this.unavailable = null;
          // Only after connections failed: a Neo4j that was merely silent (frozen, paused) is as warm as before.
          if (recovered && this.restarted) this.startWarmUp();
          this.restarted = false;
        } else {
          this.restarted = true;
          this.markUnavailable(
            new DatabaseStartingError(
              `the graph database is starting: indexes not online yet (${notOnline.join(', ')})`,
            ),
          );
        }
      },
      (err: Error) => {
        done();
        // A failure that is not about reaching Neo4j (a bug, a permission) says nothing about
        // whether queries can run: they report their own errors.
        if (!isDatabaseUnavailable(err)) return;
        this.restarted = true;
        this.reachable = false;
        this.markUnavailable(new DatabaseUnavailableError(`the graph database does not answer (${err.message})`));
      },
    );
    this.unanswered = outstanding;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deadlineMs)));
    await Promise.race([outstanding.settled, deadline]);
    clearTimeout(timer);
    this.checkSilence();
  }

  /**
   * Unavailable when a heartbeat has waited the deadline and nothing else got an answer from
   * Neo4j meanwhile either: a busy database still answers something, a frozen one nothing.
   */
  private checkSilence(): void {
    // Not before a first answer: a Neo4j that has just started (or a server that just connected)
    // plans the heartbeat once, slowly; the server has verified at start that Neo4j answers.
    if (!this.unanswered || this.lastAnswerAt === 0) return;
    const quietMs = Date.now() - Math.max(this.unanswered.since, this.lastProgressAt);
    if (quietMs < this.deadlineMs) return;
    this.reachable = false;
    this.markUnavailable(
      new DatabaseUnavailableError(`the graph database does not answer (nothing answered for ${quietMs} ms)`),
    );
  }

  private startWarmUp(): void {
    if (!this.warmUp) return;
    this.warm = false;
    if (this.warming) return; // one at a time; when it ends it sees whether to run again
    const started = Date.now();
    this.warming = this.warmUp()
      .catch(() => {})
      .finally(() => {
        this.warming = undefined;
        if (this.unavailable) return; // gone again: the next recovery warms up
        if (this.lastUnavailableAt > started)
          this.startWarmUp(); // went away and came back meanwhile
        else this.warm = true;
      });
  }

  private markUnavailable(err: DatabaseUnavailableError): void {
    this.unavailable = err;
    this.lastUnavailableAt = Date.now();
    for (const reject of this.waiting) reject(err);
    this.waiting.clear();
  }
}

/** Work on `db`, through its heartbeat when it has one (the server's Database does; the CLI's does not). */
export function guarded<T>(db: Database, work: () => Promise<T>): Promise<T> {
  return db.liveness ? db.liveness.guard(work) : work();
}

/** `work`, or a DatabaseUnavailableError after `ms`: for answers that must come in time (/health, /metrics). */
export function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailableError(`the graph database did not answer within ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
