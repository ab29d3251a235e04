// Slack's rate limits in front of the Slack stand-in, for benchmarks: chat.postMessage at most
// once a second per channel, and per-method budgets per time window (Slack's tiers, e.g.
// conversations.open). A call over a limit is answered 429 with `Retry-After` and never
// reaches the stand-in, as Slack applies nothing it rate-limits; everything else is passed on.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RateLimits {
  /** Minimum time between two chat.postMessage calls to the same channel. */
  postIntervalPerChannelMs: number;
  /** At most `calls` per `windowMs` for the method, across all channels (a fixed window, as Slack's tiers are counted per minute). */
  perMethod: Record<string, { calls: number; windowMs: number }>;
}

export interface RateLimitedProxy {
  /** Base URL for WebClient's `slackApiUrl`. */
  apiUrl: string;
  /** 429s answered, by method. */
  rejected: Map<string, number>;
  /** Calls passed on to the stand-in, by method. */
  passed: Map<string, number>;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function channelOf(body: Buffer, contentType: string): string | undefined {
  const text = body.toString('utf8');
  if (contentType.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(text) as { channel?: unknown };
      return typeof parsed.channel === 'string' ? parsed.channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(text).get('channel') ?? undefined;
}

export async function startRateLimitedProxy(target: string, limits: RateLimits): Promise<RateLimitedProxy> {
  const upstream = new URL(target);
  const lastPost = new Map<string, number>();
  const windows = new Map<string, { startedAt: number; calls: number }>();
  const rejected = new Map<string, number>();
  const passed = new Map<string, number>();
  const sockets = new Set<Socket>();
  const count = (map: Map<string, number>, method: string) => map.set(method, (map.get(method) ?? 0) + 1);

  /** Seconds to wait, or undefined when the call may go ahead (and is then counted). */
  function retryAfter(method: string, channel: string | undefined, now: number): number | undefined {
    const budget = limits.perMethod[method];
    let window = windows.get(method);
    if (budget) {
      if (!window || now - window.startedAt >= budget.windowMs) window = { startedAt: now, calls: 0 };
      windows.set(method, window);
      if (window.calls >= budget.calls)
        return Math.max(1, Math.ceil((window.startedAt + budget.windowMs - now) / 1000));
    }
    if (method === 'chat.postMessage' && channel !== undefined) {
      const last = lastPost.get(channel);
      if (last !== undefined && now - last < limits.postIntervalPerChannelMs)
        return Math.max(1, Math.ceil((last + limits.postIntervalPerChannelMs - now) / 1000));
      lastPost.set(channel, now);
    }
    if (window) window.calls++;
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    const method = path.startsWith('/api/') ? decodeURIComponent(path.slice('/api/'.length)) : '';
    const wait = retryAfter(
      method,
      channelOf(body, String(req.headers['content-type'] ?? '').toLowerCase()),
      Date.now(),
    );
    if (wait !== undefined) {
      count(rejected, method);
      const text = JSON.stringify({ ok: false, error: 'ratelimited' });
      res.writeHead(429, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(text)),
        'Retry-After': String(wait),
      });
      res.end(text);
      return;
    }
    count(passed, method);
    await new Promise<void>((resolve, reject) => {
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host, 'content-length': String(body.length) },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      forward.on('error', reject);
      forward.end(body);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => (res.headersSent ? res.destroy() : res.writeHead(502).end()));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    rejected,
    passed,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
