// A local stand-in for OpenAI's Chat Completions API, for tests. It speaks the wire format
// (POST /v1/chat/completions, JSON in, `chat.completion` JSON out, OpenAI's error bodies and
// `retry-after` on 429), so the real SDK can be pointed at it:
// `new OpenAI({ baseURL: standIn.baseURL })`. Tests queue the next answers; with the queue
// empty it answers 500, so an unexpected extra request shows up as a failure.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  /** The parsed JSON body, as the SDK sent it. */
  body: any;
  headers: IncomingHttpHeaders;
}

type Answer =
  | { kind: 'reply'; content: string }
  | { kind: 'refuse'; refusal: string }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  | { kind: 'hang' }
  | { kind: 'hold'; released: Promise<string> };

export interface OpenAiStandIn {
  /** For the SDK's `baseURL`, e.g. `http://127.0.0.1:PORT/v1`. */
  baseURL: string;
  /** Every request to /v1/chat/completions, in arrival order. */
  requests: RecordedRequest[];
  /** The next request is answered with this object as the assistant's JSON content. */
  reply(content: unknown): void;
  /** The next request is answered with a refusal (content null). */
  refuse(refusal: string): void;
  /** The next request is answered 200 with this raw string as the assistant's content. */
  malformed(content: string): void;
  /** The next request is answered 429 with `retry-after`. */
  rateLimit(retryAfterSeconds: number): void;
  /** The next request is never answered (until close). */
  hang(): void;
  /** The next request waits until the returned function is called, then is answered with `content` as the assistant's JSON. */
  hold(content: unknown): () => void;
  /** Requests being held or hung right now. */
  waiting(): number;
  /** Closes the server, destroying the sockets of hanging requests. */
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function apiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startOpenAiStandIn(): Promise<OpenAiStandIn> {
  const requests: RecordedRequest[] = [];
  const queue: Answer[] = [];
  const sockets = new Set<Socket>();
  let completions = 0;
  let waiting = 0;

  function completion(model: string, message: { content: string | null; refusal: string | null }) {
    completions += 1;
    return {
      id: `chatcmpl-standin${String(completions).padStart(6, '0')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
      system_fingerprint: 'fp_standin',
    };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method !== 'POST' || url.pathname !== '/v1/chat/completions') {
      sendJson(
        res,
        404,
        apiError(`Unknown request URL: ${req.method} ${url.pathname}`, 'invalid_request_error', 'unknown_url'),
      );
      return;
    }
    let body: any;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      sendJson(res, 400, apiError('We could not parse the JSON body of your request.', 'invalid_request_error', null));
      return;
    }
    requests.push({ body, headers: req.headers });
    const model = typeof body?.model === 'string' ? body.model : 'unknown';
    const answer = queue.shift();
    switch (answer?.kind) {
      case 'reply':
        sendJson(res, 200, completion(model, { content: answer.content, refusal: null }));
        return;
      case 'refuse':
        sendJson(res, 200, completion(model, { content: null, refusal: answer.refusal }));
        return;
      case 'rateLimit':
        sendJson(
          res,
          429,
          apiError(
            `Rate limit reached for ${model}. Please try again in ${answer.retryAfterSeconds}s.`,
            'requests',
            'rate_limit_exceeded',
          ),
          { 'retry-after': String(answer.retryAfterSeconds) },
        );
        return;
      case 'hang':
        waiting += 1;
        res.on('close', () => (waiting -= 1));
        return; // the socket stays open until close() destroys it
      case 'hold': {
        waiting += 1;
        const content = await answer.released;
        waiting -= 1;
        if (!res.destroyed) sendJson(res, 200, completion(model, { content, refusal: null }));
        return;
      }
      case undefined:
        sendJson(
          res,
          500,
          apiError('The server had an error while processing your request. Sorry about that!', 'server_error', null),
        );
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, apiError(`stand-in failure: ${String(error)}`, 'server_error', null));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    reply: (content) => queue.push({ kind: 'reply', content: JSON.stringify(content) }),
    refuse: (refusal) => queue.push({ kind: 'refuse', refusal }),
    malformed: (content) => queue.push({ kind: 'reply', content }),
    rateLimit: (retryAfterSeconds) => queue.push({ kind: 'rateLimit', retryAfterSeconds }),
    hang: () => queue.push({ kind: 'hang' }),
    hold(content) {
      let release!: (content: string) => void;
      queue.push({ kind: 'hold', released: new Promise<string>((resolve) => (release = resolve)) });
      return () => release(JSON.stringify(content));
    },
    waiting: () => waiting,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
