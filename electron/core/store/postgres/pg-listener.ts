import pg from 'pg';

type Handler = (payload: string) => void;

/**
 * One connection that LISTENs for the other terminals' news (seat changes, account changes). It
 * reconnects by itself; `onLink(true)` after each (re)connect tells the feed it may have missed
 * notifications while it was down (a seat map reads itself again), `onLink(false)` when it drops.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  connected = false;

  constructor(
    private readonly url: string,
    private readonly channels: Record<string, Handler>,
    private readonly onLink: (up: boolean, err?: unknown) => void,
    private readonly retryMs = 500,
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.url, application_name: 'marquee-listen', keepAlive: true, connectionTimeoutMillis: 3000 });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      if (this.connected) {
        this.connected = false;
        this.onLink(false, err);
      }
      this.scheduleRetry();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      const h = this.channels[n.channel];
      if (h) h(n.payload ?? '');
    });
    this.client = client;
    try {
      await client.connect();
      for (const ch of Object.keys(this.channels)) await client.query(`LISTEN ${ch}`);
      if (this.stopped || this.client !== client) {
        await client.end().catch(() => undefined);
        return;
      }
      this.connected = true;
      this.onLink(true);
    } catch (err) {
      lost(err);
    }
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) await c.end().catch(() => undefined);
  }
}
