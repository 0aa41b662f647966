// A wide-area link on loopback: a TCP proxy (Node `net`, 127.0.0.1 only) that holds every chunk for
// half a round trip in each direction and lets each connection carry at most `rateBitsPerSecond`,
// the way a far registry behaves (20-100 ms away, a throughput cap per connection). Memory is
// bounded: a direction holding more than `maxQueuedBytes` pauses its reader.
import net from 'node:net';

export interface LinkOptions {
  readonly target: { readonly host: string; readonly port: number };
  readonly roundTripMs: number;
  readonly rateBitsPerSecond: number;
}

export interface Link {
  /** `127.0.0.1:port` */
  readonly host: string;
  /** The most connections open at once, and bytes carried (both directions), since the last reset. */
  stats(): { maxConnections: number; connections: number; bytes: number };
  reset(): void;
  stop(): Promise<void>;
}

const maxQueuedBytes = 4 * 1024 * 1024;

/**
 * One direction of a connection: each chunk leaves at max(arrival + half a round trip, when the
 * previous one finished at the rate), in order (one queue, one timer).
 */
function delay(from: net.Socket, to: net.Socket, halfRoundTripMs: number, bytesPerMs: number, count: (bytes: number) => void): void {
  const queue: { chunk: Buffer; at: number }[] = [];
  let queued = 0;
  let lineFreeAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const pump = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && (queue[0]?.at ?? 0) <= now) {
      const { chunk } = queue.shift() as { chunk: Buffer; at: number };
      queued -= chunk.length;
      if (!to.destroyed) to.write(chunk);
    }
    if (queued <= maxQueuedBytes / 2 && from.isPaused() && !from.destroyed) from.resume();
    if (queue.length > 0) timer = setTimeout(pump, Math.max(0, (queue[0]?.at ?? now) - now));
    else if (ended) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    count(chunk.length);
    const now = performance.now();
    lineFreeAt = Math.max(lineFreeAt, now) + chunk.length / bytesPerMs;
    queue.push({ chunk, at: Math.max(now + halfRoundTripMs, lineFreeAt) });
    queued += chunk.length;
    if (queued > maxQueuedBytes) from.pause();
    timer ??= setTimeout(pump, Math.max(0, (queue[0]?.at ?? now) - now));
  });
  from.on('end', () => {
    ended = true;
    if (queue.length === 0) setTimeout(() => to.end(), halfRoundTripMs);
  });
  from.on('error', () => to.destroy());
  from.on('close', () => {
    // Closed without an end (reset): the other side goes too, once what is on the way has left.
    if (!from.readableEnded) setTimeout(() => to.destroy(), halfRoundTripMs + Math.max(0, lineFreeAt - performance.now()));
  });
}

export async function startLink(options: LinkOptions): Promise<Link> {
  const half = options.roundTripMs / 2;
  const bytesPerMs = options.rateBitsPerSecond / 8 / 1000;
  let connections = 0;
  let maxConnections = 0;
  let bytes = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    maxConnections = Math.max(maxConnections, connections);
    const upstream = net.connect(options.target.port, options.target.host);
    open.add(client);
    open.add(upstream);
    const count = (n: number): void => {
      bytes += n;
    };
    // The TCP handshake costs a round trip too.
    upstream.pause();
    client.pause();
    setTimeout(() => {
      client.resume();
      upstream.resume();
    }, options.roundTripMs);
    delay(client, upstream, half, bytesPerMs, count);
    delay(upstream, client, half, bytesPerMs, count);
    // A side that closes has its end passed on after the data still on the way (see delay); only
    // when both are closed is the connection gone.
    let closed = 0;
    const close = (): void => {
      if (++closed < 2) return;
      open.delete(client);
      open.delete(upstream);
      connections--;
    };
    client.on('close', close);
    upstream.on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    stats: () => ({ maxConnections, connections, bytes }),
    reset: () => {
      maxConnections = connections;
      bytes = 0;
    },
    stop: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
