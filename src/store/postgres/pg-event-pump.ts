/**
 * Feeds the WatchHub from the events table: LISTEN wakes it after any replica's commit, a local
 * commit kicks it directly, and a 1 s poll covers a missed notification. It always reads from the
 * last revision it delivered, so a lost notification delays an event but never drops it.
 */
import pg from 'pg';
import { GoneError } from '../../api/index.js';
import type { CommittedReader } from '../core/engine.js';
import type { WatchHub } from '../core/watch-hub.js';

const PAGE = 1000;
const POLL_MS = 1000;

export class PgEventPump {
  private listener: pg.Client | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly reader: CommittedReader,
    private readonly hub: WatchHub,
    private last: number,
  ) {}

  async start(): Promise<void> {
    await this.listen();
    this.timer = setInterval(() => {
      if (!this.listener) void this.listen().catch(() => undefined);
      this.kick();
    }, POLL_MS);
    this.timer.unref();
  }

  /** Reads new events now (or right after the read in progress). */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pump().finally(() => {
      this.running = undefined;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.running;
    const l = this.listener;
    this.listener = undefined;
    await l?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const c = new pg.Client({ connectionString: this.connectionString });
    c.on('notification', () => this.kick());
    c.on('error', () => {
      // Lost connection: the poll reconnects and catches up from the last delivered revision.
      if (this.listener === c) this.listener = undefined;
      void c.end().catch(() => undefined);
    });
    await c.connect();
    try {
      await c.query(`LISTEN "${this.channel}"`);
    } catch (e) {
      await c.end().catch(() => undefined);
      throw e;
    }
    if (this.closed) await c.end();
    else this.listener = c;
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        for (;;) {
          const rows = await this.reader.events(this.last, PAGE);
          if (this.closed) return;
          const first = rows[0];
          if (first && first.revision !== this.last + 1) {
            // Fell further behind than the history keeps: every watcher must relist.
            this.hub.failAll(new GoneError(this.last, first.revision - 1));
          }
          if (rows.length > 0) this.hub.publish(rows);
          this.last = rows.at(-1)?.revision ?? this.last;
          if (rows.length < PAGE) break;
        }
      } while (this.again && !this.closed);
    } catch {
      // Database unreachable: the next kick or poll retries from the same revision.
    }
  }
}
