// A local stand-in for the Bot Framework Connector REST API (v3): the playground's Teams and the tests.
// Activities sent to the bot carry `serviceUrl` = this server's URL, so botbuilder's own
// ConnectorClient sends replies and proactive posts here. It speaks the wire format:
//   POST /v3/conversations/{conversationId}/activities               send   -> { id }
//   POST /v3/conversations/{conversationId}/activities/{activityId}  reply  -> { id }
//   PUT  /v3/conversations/{conversationId}/activities/{activityId}  update -> { id }
//   POST /v3/conversations                                           create -> { id }
//   GET  /v3/conversations/{conversationId}/members/{memberId}       member -> TeamsChannelAccount
// Creating a personal chat answers the same conversation id for the same person every
// time, as Teams does. Members are looked up by Teams id, Entra object id or email among
// those added with `addMember`.
// It records every call (path, JSON body, headers), and can answer 429 with Retry-After
// without applying the call (`failNext`), or apply a call and then answer 500 (`applyThenFail`:
// the connector took the post but the bot never heard so), or never answer (`hangNext`).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type ConnectorOperation = 'send' | 'reply' | 'update' | 'create' | 'member' | 'unknown';

export interface ConnectorCall {
  method: string;
  path: string;
  operation: ConnectorOperation;
  conversationId?: string;
  /** The activity replied to or updated. */
  activityId?: string;
  body: unknown;
  headers: IncomingMessage['headers'];
  at: number;
  /** The status this server answered. */
  status: number;
  /** True when the call changed the conversation (a message now exists or was updated). */
  applied: boolean;
}

export interface PostedActivity {
  id: string;
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
}

export interface StandInMember {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
}

export interface ConnectorStandIn {
  /** Base URL to use as an activity's `serviceUrl`, e.g. `http://127.0.0.1:PORT/`. */
  serviceUrl: string;
  calls: ConnectorCall[];
  /** Activities now in the conversation (sent or replied), oldest first; updates are applied in place. */
  activities(conversationId: string): PostedActivity[];
  /** The next `times` activity posts (send or reply) are answered 429 with `Retry-After: retryAfterSeconds` and not applied. */
  failNext(times: number, retryAfterSeconds: number): void;
  /** The next `times` activity posts are applied, then answered 500. */
  applyThenFail(times: number): void;
  /** People Teams knows, for member look-ups. */
  addMember(member: StandInMember): void;
  /** The personal chat opened with this member id (as the bot named them), if any. */
  personalChatWith(memberId: string): string | undefined;
  /** Called with every activity the stand-in takes, before it answers: what the bot had done by then. */
  onActivity(listener: ((posted: PostedActivity) => Promise<void> | void) | undefined): void;
  /** The next `times` activity posts to this conversation are answered with `status` and not applied. */
  refuseNext(conversationId: string, status: number, times?: number): void;
  /** The next `times` activity posts are never answered (until close): a connector that took the connection and hung. */
  hangNext(times: number): void;
  reset(): void;
  /** Forgets all but the last `count` activities of each conversation, so a long-running stand-in holds only what is shown. */
  keepLast(count: number): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    })
    .end(text);
}

export async function startConnectorStandIn(): Promise<ConnectorStandIn> {
  const calls: ConnectorCall[] = [];
  let posted: PostedActivity[] = [];
  let rateLimits: number[] = [];
  let failures = 0;
  let hangs = 0;
  const sockets = new Set<Socket>();
  const members: StandInMember[] = [];
  const personalChats = new Map<string, string>();
  const refusals = new Map<string, { status: number; times: number }>();
  let listener: ((posted: PostedActivity) => Promise<void> | void) | undefined;

  function route(
    method: string,
    path: string,
  ): { operation: ConnectorOperation; conversationId?: string; activityId?: string } {
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return { operation: 'unknown' };
    if (parts.length === 2 && method === 'POST') return { operation: 'create' };
    if (parts.length === 5 && parts[3] === 'members' && method === 'GET')
      return { operation: 'member', conversationId: parts[2], activityId: parts[4] };
    if (parts.length === 4 && parts[3] === 'activities' && method === 'POST')
      return { operation: 'send', conversationId: parts[2] };
    if (parts.length === 5 && parts[3] === 'activities') {
      if (method === 'POST') return { operation: 'reply', conversationId: parts[2], activityId: parts[4] };
      if (method === 'PUT') return { operation: 'update', conversationId: parts[2], activityId: parts[4] };
    }
    return { operation: 'unknown' };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0]!;
    const raw = await readBody(request);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const { operation, conversationId, activityId } = route(method, path);
    const call: ConnectorCall = {
      method,
      path,
      operation,
      conversationId,
      activityId,
      body,
      headers: request.headers,
      at: Date.now(),
      status: 200,
      applied: false,
    };
    calls.push(call);
    const answer = (status: number, result: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      send(response, status, result, headers);
    };

    if (operation === 'unknown') return answer(404, { error: { code: 'NotFound', message: `${method} ${path}` } });
    if (operation === 'member') {
      const wanted = activityId!.toLowerCase();
      const member = members.find((candidate) =>
        [candidate.id, candidate.aadObjectId, candidate.email].some((key) => key.toLowerCase() === wanted),
      );
      if (!member)
        return answer(404, {
          error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' },
        });
      return answer(200, {
        id: member.id,
        aadObjectId: member.aadObjectId,
        name: member.name,
        email: member.email,
        userPrincipalName: member.email,
        tenantId: 'tenant-0001',
      });
    }
    if (typeof body !== 'object' || body === null)
      return answer(400, { error: { code: 'BadArgument', message: 'The body is not an activity.' } });
    const activity = body as Record<string, unknown>;

    if (operation === 'create') {
      const memberId = (activity.members as Array<{ id?: string }> | undefined)?.[0]?.id;
      if (!memberId) return answer(400, { error: { code: 'BadArgument', message: 'No members.' } });
      const known = members.some((member) => member.id === memberId || member.aadObjectId === memberId);
      if (!known)
        return answer(403, {
          error: { code: 'Forbidden', message: "The bot is not installed in the user's personal scope." },
        });
      const id = personalChats.get(memberId) ?? `a:${randomUUID()}`;
      personalChats.set(memberId, id);
      call.applied = true;
      return answer(201, { id });
    }
    if (operation === 'update') {
      const existing = posted.find((entry) => entry.conversationId === conversationId && entry.id === activityId);
      if (!existing) return answer(404, { error: { code: 'ActivityNotFound', message: 'No such activity.' } });
      existing.activity = activity;
      call.applied = true;
      return answer(200, { id: existing.id });
    }

    const refusal = refusals.get(conversationId!);
    if (refusal && refusal.times > 0) {
      refusal.times -= 1;
      return answer(refusal.status, {
        error: {
          code: refusal.status === 403 ? 'ConversationBlockedByUser' : 'ConversationNotFound',
          message: 'Refused.',
        },
      });
    }
    if (hangs > 0) {
      hangs -= 1;
      call.status = 0;
      return;
    }
    const retryAfter = rateLimits.shift();
    if (retryAfter !== undefined)
      return answer(
        429,
        { error: { code: 'Throttled', message: 'Too many requests.' } },
        { 'retry-after': String(retryAfter) },
      );
    const id = `1:${Date.now()}${String(posted.length).padStart(4, '0')}`;
    const entry: PostedActivity = {
      id,
      conversationId: conversationId!,
      ...(operation === 'reply' ? { replyToId: activityId } : {}),
      activity,
    };
    posted.push(entry);
    call.applied = true;
    await listener?.(entry);
    if (failures > 0) {
      failures -= 1;
      return answer(500, {
        error: { code: 'ServiceError', message: 'Something went wrong after the activity was accepted.' },
      });
    }
    return answer(operation === 'send' ? 201 : 200, { id });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: { code: 'StandInError', message: String(error) } });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    activities: (conversationId) => posted.filter((entry) => entry.conversationId === conversationId),
    failNext(times, retryAfterSeconds) {
      rateLimits.push(...Array.from({ length: times }, () => retryAfterSeconds));
    },
    applyThenFail(times) {
      failures += times;
    },
    addMember: (member) => void members.push(member),
    personalChatWith: (memberId) => personalChats.get(memberId),
    onActivity(next) {
      listener = next;
    },
    refuseNext(conversationId, status, times = 1) {
      refusals.set(conversationId, { status, times });
    },
    hangNext(times) {
      hangs += times;
    },
    keepLast(count) {
      const seen = new Map<string, number>();
      posted = posted
        .reverse()
        .filter((entry) => {
          const kept = (seen.get(entry.conversationId) ?? 0) + 1;
          seen.set(entry.conversationId, kept);
          return kept <= count;
        })
        .reverse();
    },
    reset() {
      calls.length = 0;
      members.length = 0;
      personalChats.clear();
      refusals.clear();
      listener = undefined;
      posted = [];
      rateLimits = [];
      failures = 0;
      hangs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
