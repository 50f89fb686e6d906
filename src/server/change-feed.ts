/**
 * The change feed of one server process: polls the change records (db/changes-write.ts) and hands
 * their events to this process's subscribers. It is the only source of subscription events, so a
 * write by this process, by a CLI ingest or by another replica reaches every subscriber the same
 * way, once: records are read in seq order from the last seq this process read, and seqs commit in
 * order (changes-write.ts), so none is skipped or read twice.
 *
 * - It starts at the newest record (`ready`: app.listen waits for that read), and polls every
 *   `pollMs` (`seq > last ORDER BY seq LIMIT n`, an index range seek; first the counter, one seek).
 * - A Neo4j outage: polls fail at once through the heartbeat (neo4j/liveness.ts); `last` stays, and
 *   the first poll that succeeds afterwards delivers everything committed meanwhile.
 * - A wiped graph (new counter epoch) re-synchronises at the new epoch's first record.
 * - Subscribers each have a bounded queue (`queueSize` events). One that falls that far behind
 *   (its client stopped reading: the HTTP stream only pulls when the socket drains) gets one last
 *   item that ends its subscription with SLOW_CONSUMER, and its connection is cut if even that is
 *   not taken within DROP_GRACE_MS. Nothing is buffered without bound.
 * - A bulk ingest publishes record after record (up to EVENTS_PER_RECORD events each): before each,
 *   the feed waits up to DRAIN_WAIT_MS for queues that are more than half full to drain, so a
 *   subscriber that keeps up is not dropped for a burst; one that did not drain meanwhile is dropped.
 *
 * Not graphql-yoga's createPubSub: its subscribers queue in a Repeater with no bound that fails
 * in the publisher (1,024 pending pushes), where a slow subscriber must be dropped instead.
 */
import type { Logger } from 'pino';
import { changeHead, changesAfter, firstSeqOfEpoch } from '../db/changes-read.js';
import type { ChangeEvent } from '../db/changes-write.js';
import type { Reader } from '../db/read.js';
import type { Bookmarks } from '../neo4j/bookmarks.js';
import type { ChangeSubscriptions, LiveItem } from '../schema/context.js';

/** Records read per query: at most 200 events each (EVENTS_PER_RECORD). */
const RECORDS_PER_READ = 20;
/** How long a dropped subscriber's last item may wait to be taken before its connection is cut. */
export const DROP_GRACE_MS = 5_000;
/** How long the feed waits, before publishing a record, for subscribers' backlogs to drain. */
const DRAIN_WAIT_MS = 1_000;

export interface ChangeFeedOptions {
  pollMs: number;
  queueSize: number;
}

export interface ChangeFeedStats {
  subscribers: number;
  /** events handed to subscribers' streams */
  delivered: number;
  /** subscribers ended for falling behind */
  dropped: number;
  /** the last seq read */
  seq: number;
}

export function topicOf(event: ChangeEvent): string {
  switch (event.kind) {
    case 'articleIngested':
      return event.kind;
    case 'entityMentioned':
      return `${event.kind}:${event.entityId}`;
    case 'policyLinked':
      return `${event.kind}:${event.policyId}`;
    case 'issued':
      return `${event.kind}:${event.agencyId}`;
  }
}

export class ChangeFeed implements ChangeSubscriptions {
  /** resolves once the starting point is read (the first poll that succeeded) */
  readonly ready: Promise<void>;
  private markReady!: () => void;
  private last = 0;
  private epoch: string | null | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failing = false;
  private readonly topics = new Map<string, Set<Subscriber>>();
  private readonly counts = { delivered: 0, dropped: 0 };

  constructor(
    private readonly reader: Reader,
    private readonly bookmarks: Bookmarks,
    private readonly log: Logger,
    private readonly options: ChangeFeedOptions,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule(0);
  }

  /** Stops polling and ends every subscription (their streams complete). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    for (const subs of this.topics.values()) for (const s of subs) s.end();
    this.topics.clear();
    this.markReady();
  }

  stats(): ChangeFeedStats {
    let subscribers = 0;
    for (const subs of this.topics.values()) subscribers += subs.size;
    return { subscribers, ...this.counts, seq: this.last };
  }

  subscribe(
    kind: ChangeEvent['kind'],
    key: string | undefined,
    accept: (event: ChangeEvent) => boolean,
    drop?: () => void,
  ): AsyncIterableIterator<LiveItem> {
    const topic = key === undefined ? kind : `${kind}:${key}`;
    let subs = this.topics.get(topic);
    if (!subs) this.topics.set(topic, (subs = new Set()));
    const sub = new Subscriber(this.options.queueSize, accept, {
      detach: () => {
        subs.delete(sub);
        if (!subs.size && this.topics.get(topic) === subs) this.topics.delete(topic);
      },
      delivered: () => this.counts.delivered++,
      overflowed: () => {
        this.counts.dropped++;
        this.log.warn({ topic, limit: this.options.queueSize }, 'slow subscriber dropped: its queue was full');
        if (drop) setTimeout(() => sub.settled || drop(), DROP_GRACE_MS).unref();
      },
    });
    subs.add(sub);
    if (this.stopped) sub.end();
    return sub;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll().finally(() => {
        this.running = undefined;
        this.schedule(this.options.pollMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    try {
      const head = await changeHead(this.reader);
      if (this.epoch === undefined) {
        // the start: only what commits from now on
        this.epoch = head.epoch;
        this.last = head.seq;
        this.markReady();
      } else if (head.epoch !== this.epoch && head.epoch !== null) {
        // a new counter (wiped graph or GraphMeta): its records are new, whatever their seqs
        const first = await firstSeqOfEpoch(this.reader, head.epoch);
        this.log.info({ epoch: head.epoch, first }, 'change feed: new change counter, re-synchronised');
        this.epoch = head.epoch;
        this.last = first === null ? head.seq : first - 1;
      }
      while (!this.stopped && head.seq > this.last) {
        const records = await changesAfter(this.reader, this.last, RECORDS_PER_READ);
        if (!records.length) {
          this.log.warn(
            { from: this.last + 1, to: head.seq },
            'change feed: change records pruned before this server read them',
          );
          this.last = head.seq;
          break;
        }
        if (records[0].seq > this.last + 1)
          this.log.warn(
            { from: this.last + 1, to: records[0].seq - 1 },
            'change feed: change records pruned before this server read them',
          );
        const bookmarks = [...this.bookmarks.current()];
        for (const record of records) {
          await this.drain();
          for (const event of record.events) this.publish(event, bookmarks);
          this.last = record.seq;
        }
      }
      if (this.failing) this.log.info({ seq: this.last }, 'change feed: Neo4j answers again, polling resumed');
      this.failing = false;
    } catch (err) {
      // keep `last`: the next poll that succeeds delivers what committed meanwhile
      if (!this.failing) this.log.warn({ err, seq: this.last }, 'change feed: poll failed, retrying');
      this.failing = true;
    }
  }

  /** Waits (bounded) until no queue is more than half full; drops the subscribers whose queues did not drain. */
  private async drain(): Promise<void> {
    const backlogged = () => {
      const out: Subscriber[] = [];
      for (const subs of this.topics.values())
        for (const s of subs) if (s.backlog() > this.options.queueSize / 2) out.push(s);
      return out;
    };
    const deadline = Date.now() + DRAIN_WAIT_MS;
    let behind = backlogged();
    while (behind.length && Date.now() < deadline && !this.stopped) {
      await new Promise((r) => setTimeout(r, 10));
      behind = backlogged();
    }
    for (const s of behind) s.overflow();
  }

  private publish(event: ChangeEvent, bookmarks: string[]): void {
    const subs = this.topics.get(topicOf(event));
    if (!subs) return;
    for (const sub of [...subs]) sub.push({ event, bookmarks });
  }
}

interface SubscriberHooks {
  detach(): void;
  delivered(): void;
  overflowed(): void;
}

/** One subscription's bounded queue, as the async iterator graphql-js reads. */
class Subscriber implements AsyncIterableIterator<LiveItem> {
  private queue: LiveItem[] = [];
  private waiter: ((r: IteratorResult<LiveItem>) => void) | undefined;
  private ending = false;
  /** true once the stream has taken its last item or was closed */
  settled = false;

  constructor(
    private readonly limit: number,
    private readonly accept: (event: ChangeEvent) => boolean,
    private readonly hooks: SubscriberHooks,
  ) {}

  push(item: { event: ChangeEvent; bookmarks: string[] }): void {
    if (this.ending || !this.accept(item.event)) return;
    if (this.waiter) {
      this.hand(item);
      return;
    }
    if (this.queue.length < this.limit) {
      this.queue.push(item);
      return;
    }
    this.overflow();
  }

  /** events waiting to be taken */
  backlog(): number {
    return this.ending ? 0 : this.queue.length;
  }

  /** Too far behind: what is queued is dropped with the subscriber; its stream gets one last item saying so. */
  overflow(): void {
    if (this.ending) return;
    this.queue = [{ overflow: true, limit: this.limit }];
    this.ending = true;
    this.hooks.detach();
    this.hooks.overflowed();
  }

  /** The feed stopped: the stream completes after what is queued. */
  end(): void {
    this.ending = true;
    this.hooks.detach();
    if (this.waiter && !this.queue.length) this.finish();
  }

  next(): Promise<IteratorResult<LiveItem>> {
    const item = this.queue.shift();
    if (item) {
      if ('event' in item) this.hooks.delivered();
      else this.settled = true;
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ending) {
      this.settled = true;
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<LiveItem>> {
    this.ending = true;
    this.queue = [];
    this.hooks.detach();
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveItem> {
    return this;
  }

  private hand(item: LiveItem): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    if ('event' in item) this.hooks.delivered();
    waiter({ value: item, done: false });
  }

  private finish(): void {
    this.settled = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.({ value: undefined, done: true });
  }
}
