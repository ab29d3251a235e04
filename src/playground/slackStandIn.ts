// A local stand-in for the Slack Web API, for integration tests and the playground. It speaks Slack's wire
// format (POST /api/<method>, form-encoded or JSON bodies, `Authorization: Bearer`, HTTP 200
// with `{ ok, ... }` bodies, HTTP 429 + `Retry-After` seconds when rate limited), so the real
// `WebClient` can be pointed at it: `new WebClient(token, { slackApiUrl: standIn.apiUrl })`.
// It keeps channels' messages in memory, records every call, and can be told to rate-limit
// calls (`failNext`) or to accept a call but never answer it (`holdNext`, a crash after Slack
// took the post but before we heard back). `conversations.open` gives each user a stable
// direct-message channel, which takes posts and answers history like any other channel.
// Files go up as Slack's uploadV2 flow sends them: files.getUploadURLExternal gives an upload
// URL on this server, the bytes are POSTed there, files.completeUploadExternal finishes it;
// an image block (`slack_file`) naming a file not completed is refused `invalid_blocks`.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SlackStandInOptions {
  botUserId?: string;
  botId?: string;
  teamId?: string;
  /** Clock for message timestamps (ms since the epoch); defaults to Date.now. */
  now?: () => number;
  /** Users not in the workspace: users.info, conversations.open and ephemerals to them answer `user_not_found`. */
  unknownUsers?: Iterable<string>;
  /** User groups (`S…` id → handle, name and members) for usergroups.list and usergroups.users.list. */
  userGroups?: Record<string, { handle: string; name: string; users: string[] }>;
}

export interface RecordedCall {
  /** Web API method, e.g. 'chat.postMessage', or 'response_url' for posts to a responseUrl(). */
  method: string;
  /** Arguments as sent; `blocks`, `attachments`, `metadata` and `view` decoded from JSON. Other form values stay strings. */
  args: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** Bearer token (or form `token`), if any. */
  token?: string;
  /** Present (true) when the call was answered 429 by failNext and not applied. */
  rateLimited?: true;
  /** What the stand-in answered (e.g. the message `ts` or the view `id` it gave), once applied. */
  result?: unknown;
}

export interface SlackMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts?: string;
  metadata?: SlackMessageMetadata;
  /** The poster: the bot's user id. */
  user: string;
  attachments?: unknown[];
  reply_broadcast?: true;
  edited?: { user: string; ts: string };
}

export interface StoredEphemeral {
  /** The `message_ts` chat.postEphemeral returned. */
  ts: string;
  channel: string;
  /** The user the ephemeral message was shown to. */
  user: string;
  text: string;
  blocks: unknown[] | undefined;
  thread_ts?: string;
}

export interface UploadedFile {
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  title?: string;
  /** The bytes POSTed to the upload URL, once they were. */
  bytes?: Buffer;
  completed: boolean;
  /** channel_id given at completion: the file was shared there as a message of its own. */
  sharedTo?: string;
}

export interface SlackStandIn {
  /** Files uploaded with the uploadV2 flow, in order; reset() keeps them, as Slack keeps files. */
  files(): UploadedFile[];
  /** Deletes every uploaded file, as a workspace admin might: image blocks naming them are then refused. */
  deleteFiles(): void;
  /** Base URL for WebClient's `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  apiUrl: string;
  botUserId: string;
  botId: string;
  teamId: string;
  /** A URL on this server that accepts JSON POSTs like Slack's response_url; recorded as method 'response_url'. */
  responseUrl(id?: string): string;
  /** Every request, in arrival order. */
  calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Messages in the channel, thread replies included, oldest first. */
  messages(channel: string): StoredMessage[];
  /** Ephemeral messages posted in the channel, oldest first. */
  ephemerals(channel: string): StoredEphemeral[];
  /** Channels the bot is not in: channel methods answer `not_in_channel`. */
  notInChannel: Set<string>;
  /** Archived channels: chat.postMessage answers `is_archived` (history stays readable, as in Slack). */
  archived: Set<string>;
  /** The next `times` calls to `method` (whose args satisfy `matches`) are answered HTTP 200 `{ ok: false, error }` and not applied. */
  errorNext(method: string, error: string, times: number, matches?: (args: Record<string, unknown>) => boolean): void;
  /** User ids that users.info, conversations.open and chat.postEphemeral answer `user_not_found` for. */
  unknownUsers: Set<string>;
  /** The direct-message channel conversations.open gives for this user (the same id every time, like Slack's). */
  dmChannel(userId: string): string;
  /** Fields merged over the default users.info user, by user id (e.g. `{ is_admin: true }`). */
  users: Map<string, Record<string, unknown>>;
  /** The next `times` calls to `method` are answered 429 with `Retry-After: retryAfterSeconds` and not applied. */
  failNext(method: string, times: number, retryAfterSeconds: number): void;
  /** The next call to `method` (whose args satisfy `matches`, if given) is applied but never answered; resolves once it has been applied. */
  holdNext(method: string, matches?: (args: Record<string, unknown>) => boolean): Promise<void>;
  /** Destroys the sockets of held (unanswered) calls. */
  releaseHeld(): void;
  /** Forgets calls, messages, pending failures and holds (held sockets are released); uploaded files stay. */
  reset(): void;
  /** Closes the server and every socket. */
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Result = { ok: true } & Record<string, unknown>;
type Failure = { ok: false; error: string } & Record<string, unknown>;

const jsonFields = ['blocks', 'attachments', 'metadata', 'view', 'files'];

function fail(error: string, extra: Record<string, unknown> = {}): Failure {
  return { ok: false, error, ...extra };
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function bool(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** A Slack ts ("1700000000.000100", or a bare "1700000000") as microseconds; NaN when malformed. */
function tsKey(ts: string): number {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(ts.trim());
  if (!match) return Number.NaN;
  const fraction = (match[2] ?? '').slice(0, 6).padEnd(6, '0');
  return Number(match[1]) * 1_000_000 + Number(fraction);
}

function formatTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

function encodeCursor(key: number): string {
  return Buffer.from(`next_ts:${key}`).toString('base64');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

function pageLimit(value: unknown, fallback: number, max: number): number {
  const limit = Number.parseInt(str(value) ?? '', 10);
  if (!Number.isFinite(limit) || limit <= 0) return fallback;
  return Math.min(limit, max);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeJsonFields(args: Args): void {
  for (const field of jsonFields) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value) as unknown;
    } catch {
      // Left as the string it was; the method reports it as malformed.
    }
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const botUserId = options.botUserId ?? 'U0STANDBOT';
  const botId = options.botId ?? 'B0STANDBOT';
  const teamId = options.teamId ?? 'T0STANDIN1';
  const appId = 'A0STANDIN1';
  const now = options.now ?? Date.now;

  const calls: RecordedCall[] = [];
  let stored: StoredMessage[] = [];
  let ephemeralStore: StoredEphemeral[] = [];
  const failures = new Map<string, number[]>();
  const holds = new Map<string, Array<{ resolve: () => void; matches: (args: Record<string, unknown>) => boolean }>>();
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const notInChannel = new Set<string>();
  const archived = new Set<string>();
  const errors = new Map<string, Array<{ error: string; matches: (args: Record<string, unknown>) => boolean }>>();
  const unknownUsers = new Set<string>(options.unknownUsers ?? []);
  const userGroups = options.userGroups ?? {};
  const users = new Map<string, Record<string, unknown>>();
  let lastTs = 0;
  let viewCount = 0;
  let uploads: UploadedFile[] = [];
  let fileCount = 0;
  // Known once the server listens; upload URLs point back at it.
  let uploadBase = '';
  let responseCount = 0;

  function nextTs(): string {
    lastTs = Math.max(Math.floor(now() * 1000), lastTs + 1);
    return formatTs(lastTs);
  }

  function threadOf(message: StoredMessage): string | undefined {
    return message.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
  }

  function repliesTo(channel: string, ts: string): StoredMessage[] {
    return stored.filter((message) => message.channel === channel && message.thread_ts === ts && message.ts !== ts);
  }

  /** A stored message as Slack's history/replies/postMessage return it. */
  function toWire(message: StoredMessage, includeMetadata: boolean): Record<string, unknown> {
    const wire: Record<string, unknown> = {
      type: 'message',
      user: message.user,
      bot_id: botId,
      app_id: appId,
      text: message.text,
      ts: message.ts,
      team: teamId,
    };
    if (message.blocks !== undefined) wire.blocks = message.blocks;
    if (message.attachments !== undefined) wire.attachments = message.attachments;
    if (message.edited) wire.edited = message.edited;
    const parent = threadOf(message);
    if (parent !== undefined) {
      wire.thread_ts = parent;
      wire.parent_user_id = stored.find((m) => m.channel === message.channel && m.ts === parent)?.user ?? botUserId;
      if (message.reply_broadcast) wire.subtype = 'thread_broadcast';
    } else {
      const replies = repliesTo(message.channel, message.ts);
      const last = replies.at(-1);
      if (last) {
        const replyUsers = [...new Set(replies.map((reply) => reply.user))];
        Object.assign(wire, {
          thread_ts: message.ts,
          reply_count: replies.length,
          reply_users_count: replyUsers.length,
          latest_reply: last.ts,
          reply_users: replyUsers,
          is_locked: false,
          subscribed: false,
        });
      }
    }
    if (includeMetadata && message.metadata) wire.metadata = message.metadata;
    return wire;
  }

  function checkChannel(channel: string | undefined): Failure | undefined {
    if (!channel) return fail('channel_not_found');
    if (notInChannel.has(channel)) return fail('not_in_channel');
    return undefined;
  }

  /** Image blocks may show a file only once its upload was completed, as Slack checks `slack_file`. */
  function checkImages(blocks: unknown[]): Failure | undefined {
    for (const [index, block] of blocks.entries()) {
      const image = block as { type?: string; slack_file?: { id?: string }; alt_text?: unknown; image_url?: unknown };
      if (image?.type !== 'image') continue;
      if (typeof image.alt_text !== 'string' || !image.alt_text)
        return fail('invalid_blocks', { errors: [`missing required field: alt_text [json-pointer:/blocks/${index}]`] });
      if (image.image_url !== undefined) continue;
      const file = uploads.find((upload) => upload.id === image.slack_file?.id);
      if (!file?.completed)
        return fail('invalid_blocks', { errors: [`invalid slack file [json-pointer:/blocks/${index}/slack_file]`] });
    }
    return undefined;
  }

  function checkContent(args: Args): Failure | undefined {
    if (args.blocks !== undefined && !Array.isArray(args.blocks)) return fail('invalid_blocks_format');
    if (Array.isArray(args.blocks)) {
      const imageError = checkImages(args.blocks);
      if (imageError) return imageError;
    }
    if (args.attachments !== undefined && !Array.isArray(args.attachments)) return fail('invalid_attachments');
    if (args.metadata !== undefined) {
      const metadata = args.metadata as Partial<SlackMessageMetadata> | null;
      if (
        typeof metadata !== 'object' ||
        metadata === null ||
        typeof metadata.event_type !== 'string' ||
        typeof metadata.event_payload !== 'object' ||
        metadata.event_payload === null
      ) {
        return fail('invalid_metadata_format');
      }
    }
    return undefined;
  }

  function hasContent(args: Args): boolean {
    const text = str(args.text);
    return (
      (text !== undefined && text !== '') ||
      (Array.isArray(args.blocks) && args.blocks.length > 0) ||
      (Array.isArray(args.attachments) && args.attachments.length > 0)
    );
  }

  /** Slack-style page of `list`, which is already in output order (newest first when `descending`). */
  function paginate(
    list: StoredMessage[],
    args: Args,
    defaultLimit: number,
    descending: boolean,
    includeMetadata: boolean,
  ): Result | Failure {
    const inclusive = bool(args.inclusive);
    const oldestRaw = str(args.oldest);
    const latestRaw = str(args.latest);
    const oldest = oldestRaw === undefined || oldestRaw === '' ? 0 : tsKey(oldestRaw);
    const latest = latestRaw === undefined || latestRaw === '' ? Number.POSITIVE_INFINITY : tsKey(latestRaw);
    if (Number.isNaN(oldest)) return fail('invalid_ts_oldest');
    if (Number.isNaN(latest)) return fail('invalid_ts_latest');
    let inRange = list.filter((message) => {
      const key = tsKey(message.ts);
      return (inclusive ? key >= oldest : key > oldest) && (inclusive ? key <= latest : key < latest);
    });
    const cursor = str(args.cursor);
    if (cursor) {
      const from = decodeCursor(cursor);
      if (from === undefined) return fail('invalid_cursor');
      inRange = inRange.filter((message) => (descending ? tsKey(message.ts) <= from : tsKey(message.ts) >= from));
    }
    const limit = pageLimit(args.limit, defaultLimit, 999);
    const page = inRange.slice(0, limit);
    const next = inRange[limit];
    return {
      ok: true,
      messages: page.map((message) => toWire(message, includeMetadata)),
      has_more: next !== undefined,
      ...(descending ? { pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 } : {}),
      response_metadata: { next_cursor: next ? encodeCursor(tsKey(next.ts)) : '' },
    };
  }

  /** Slack's IM ids are permanent per user, so a hash of the user id stands in for one. */
  function dmChannel(userId: string): string {
    return `D${createHash('sha256').update(`${teamId}:${userId}`).digest('hex').slice(0, 10).toUpperCase()}`;
  }

  function viewResult(id: string, view: Record<string, unknown>): Result {
    return {
      ok: true,
      view: {
        team_id: teamId,
        state: { values: {} },
        hash: `${Math.floor(now() / 1000)}.${id}`,
        root_view_id: id,
        app_id: appId,
        bot_id: botId,
        ...view,
        id,
      },
    };
  }

  function newViewId(): string {
    viewCount += 1;
    return `V${String(viewCount).padStart(10, '0')}`;
  }

  const methods: Record<string, (args: Args) => Result | Failure> = {
    'auth.test': () => ({
      ok: true,
      url: 'https://stand-in.slack.com/',
      team: 'Stand-in Workspace',
      user: 'stand-in-bot',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (args) => {
      const channel = str(args.channel);
      const channelError = checkChannel(channel);
      if (channelError || channel === undefined) return channelError ?? fail('channel_not_found');
      if (archived.has(channel)) return fail('is_archived');
      const contentError = checkContent(args);
      if (contentError) return contentError;
      if (!hasContent(args)) return fail('no_text');
      let threadTs = str(args.thread_ts);
      if (threadTs === '') threadTs = undefined;
      if (threadTs !== undefined) {
        if (Number.isNaN(tsKey(threadTs)) || tsKey(threadTs) === 0) return fail('invalid_thread_ts');
        // Replying to a reply lands in the reply's thread.
        const target = stored.find((message) => message.channel === channel && message.ts === threadTs);
        if (target?.thread_ts !== undefined) threadTs = target.thread_ts;
      }
      const message: StoredMessage = {
        ts: nextTs(),
        channel,
        text: str(args.text) ?? '',
        blocks: args.blocks as unknown[] | undefined,
        user: botUserId,
      };
      if (args.attachments !== undefined) message.attachments = args.attachments as unknown[];
      if (threadTs !== undefined) message.thread_ts = threadTs;
      if (threadTs !== undefined && bool(args.reply_broadcast)) message.reply_broadcast = true;
      if (args.metadata !== undefined) message.metadata = args.metadata as SlackMessageMetadata;
      stored.push(message);
      return { ok: true, channel, ts: message.ts, message: toWire(message, true) };
    },

    'chat.update': (args) => {
      const channel = str(args.channel);
      const channelError = checkChannel(channel);
      if (channelError || channel === undefined) return channelError ?? fail('channel_not_found');
      const ts = str(args.ts);
      const message = stored.find((m) => m.channel === channel && m.ts === ts);
      if (!message) return fail('message_not_found');
      const contentError = checkContent(args);
      if (contentError) return contentError;
      if (!hasContent(args)) return fail('no_text');
      const text = str(args.text);
      if (text !== undefined) message.text = text;
      if (args.blocks !== undefined) message.blocks = args.blocks as unknown[];
      if (args.attachments !== undefined) message.attachments = args.attachments as unknown[];
      if (args.metadata !== undefined) message.metadata = args.metadata as SlackMessageMetadata;
      message.edited = { user: botUserId, ts: nextTs() };
      return { ok: true, channel: message.channel, ts: message.ts, text: message.text, message: toWire(message, true) };
    },

    'chat.postEphemeral': (args) => {
      const channel = str(args.channel);
      const channelError = checkChannel(channel);
      if (channelError || channel === undefined) return channelError ?? fail('channel_not_found');
      const user = str(args.user);
      if (!user || unknownUsers.has(user)) return fail('user_not_found');
      const contentError = checkContent(args);
      if (contentError) return contentError;
      if (!hasContent(args)) return fail('no_text');
      const ephemeral: StoredEphemeral = {
        ts: nextTs(),
        channel,
        user,
        text: str(args.text) ?? '',
        blocks: args.blocks as unknown[] | undefined,
      };
      const threadTs = str(args.thread_ts);
      if (threadTs) ephemeral.thread_ts = threadTs;
      ephemeralStore.push(ephemeral);
      return { ok: true, message_ts: ephemeral.ts };
    },

    'conversations.history': (args) => {
      const channel = str(args.channel);
      const channelError = checkChannel(channel);
      if (channelError || channel === undefined) return channelError ?? fail('channel_not_found');
      const topLevel = stored
        .filter(
          (message) => message.channel === channel && (threadOf(message) === undefined || message.reply_broadcast),
        )
        .reverse();
      return paginate(topLevel, args, 100, true, bool(args.include_all_metadata));
    },

    'conversations.replies': (args) => {
      const channel = str(args.channel);
      const channelError = checkChannel(channel);
      if (channelError || channel === undefined) return channelError ?? fail('channel_not_found');
      const ts = str(args.ts);
      if (!ts) return fail('thread_not_found');
      const target = stored.find((message) => message.channel === channel && message.ts === ts);
      if (!target) return fail('thread_not_found');
      const parentTs = threadOf(target) ?? target.ts;
      const parent = stored.find((message) => message.channel === channel && message.ts === parentTs);
      const thread = [...(parent ? [parent] : []), ...repliesTo(channel, parentTs)];
      return paginate(thread, args, 1000, false, bool(args.include_all_metadata));
    },

    'views.open': (args) => {
      if (typeof args.view !== 'object' || args.view === null) return fail('invalid_arguments');
      if (!str(args.trigger_id) && !str(args.interactivity_pointer)) return fail('invalid_arguments');
      return viewResult(newViewId(), args.view as Record<string, unknown>);
    },

    'views.update': (args) => {
      if (typeof args.view !== 'object' || args.view === null) return fail('invalid_arguments');
      const id = str(args.view_id);
      if (!id && !str(args.external_id)) return fail('invalid_arguments');
      return viewResult(id || newViewId(), args.view as Record<string, unknown>);
    },

    'views.publish': (args) => {
      if (typeof args.view !== 'object' || args.view === null) return fail('invalid_arguments');
      const user = str(args.user_id);
      if (!user) return fail('invalid_arguments');
      if (unknownUsers.has(user)) return fail('user_not_found');
      const blocks = (args.view as { blocks?: unknown }).blocks;
      if (!Array.isArray(blocks)) return fail('invalid_arguments');
      const imageError = checkImages(blocks);
      if (imageError) return imageError;
      return viewResult(newViewId(), args.view as Record<string, unknown>);
    },

    'files.getUploadURLExternal': (args) => {
      const filename = str(args.filename);
      const length = Number.parseInt(str(args.length) ?? '', 10);
      if (!filename || !Number.isInteger(length) || length <= 0) return fail('invalid_arguments');
      // Ids are never reused, not even after reset(): a client still holding an old id must not find a new file.
      fileCount += 1;
      const id = `F${String(fileCount).padStart(10, '0')}`;
      const upload: UploadedFile = { id, filename, length, completed: false };
      const altText = str(args.alt_text);
      if (altText) upload.altText = altText;
      uploads.push(upload);
      return { ok: true, upload_url: `${uploadBase}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (args) => {
      if (!Array.isArray(args.files) || args.files.length === 0) return fail('invalid_arguments');
      const done: UploadedFile[] = [];
      for (const entry of args.files as Array<{ id?: string; title?: string }>) {
        const upload = uploads.find((candidate) => candidate.id === entry.id);
        // Slack refuses to complete a file whose bytes never arrived, or arrived short.
        if (!upload?.bytes || upload.bytes.length !== upload.length) return fail('file_not_found');
        done.push(upload);
      }
      const channel = str(args.channel_id);
      for (const [index, upload] of done.entries()) {
        upload.completed = true;
        const title = (args.files as Array<{ title?: string }>)[index]?.title;
        if (title) upload.title = title;
        if (channel) upload.sharedTo = channel;
      }
      return {
        ok: true,
        files: done.map((upload) => ({
          id: upload.id,
          name: upload.filename,
          title: upload.title ?? upload.filename,
          mimetype: upload.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
          size: upload.length,
          url_private: `https://files.stand-in.slack.com/files-pri/${teamId}-${upload.id}/${upload.filename}`,
        })),
      };
    },

    'users.info': (args) => {
      const id = str(args.user);
      if (!id || unknownUsers.has(id)) return fail('user_not_found');
      const name = id === botUserId ? 'stand-in-bot' : `user-${id.toLowerCase()}`;
      const realName = id === botUserId ? 'Stand-in Bot' : `User ${id}`;
      return {
        ok: true,
        user: {
          id,
          team_id: teamId,
          name,
          deleted: false,
          real_name: realName,
          tz: 'UTC',
          tz_label: 'Coordinated Universal Time',
          tz_offset: 0,
          is_admin: false,
          is_owner: false,
          is_primary_owner: false,
          is_restricted: false,
          is_ultra_restricted: false,
          is_bot: id === botUserId,
          is_app_user: false,
          profile: { real_name: realName, display_name: name, team: teamId },
          ...users.get(id),
        },
      };
    },

    // A direct message with one user (D…), or a group DM with several (G…); `users` is a comma-separated list.
    'conversations.open': (args) => {
      if (str(args.channel)) return { ok: true, no_op: true, already_open: true, channel: { id: str(args.channel) } };
      const ids = (str(args.users) ?? '')
        .split(',')
        .map((id) => id.trim())
        .filter(Boolean);
      if (!ids.length) return fail('users_list_not_supplied');
      if (ids.length > 8) return fail('too_many_users');
      if (ids.some((id) => unknownUsers.has(id) || !/^[UW][A-Z0-9]+$/.test(id))) return fail('user_not_found');
      if (ids.length === 1 && ids[0] === botUserId) return fail('cannot_dm_bot');
      const id = ids.length === 1 ? dmChannel(ids[0]!) : `G${dmChannel([...new Set(ids)].sort().join(',')).slice(1)}`;
      return { ok: true, channel: { id } };
    },

    // Slack lets a bot join public channels (channels:join); private ones (ids starting G) need an invitation.
    'usergroups.list': () => ({
      ok: true,
      usergroups: Object.entries(userGroups).map(([id, group]) => ({
        id,
        team_id: teamId,
        handle: group.handle,
        name: group.name,
        user_count: group.users.length,
      })),
    }),

    'usergroups.users.list': (args) => {
      const group = userGroups[str(args.usergroup) ?? ''];
      return group ? { ok: true, users: group.users } : fail('no_such_subteam');
    },

    'conversations.join': (args) => {
      const channel = args.channel as string | undefined;
      if (!channel) return fail('channel_not_found');
      if (channel.startsWith('G')) return fail('method_not_supported_for_channel_type');
      notInChannel.delete(channel);
      return { ok: true, channel: { id: channel, is_channel: true, is_member: true } };
    },
  };

  async function parseRequest(
    req: IncomingMessage,
    url: URL,
  ): Promise<{ args: Args; token: string | undefined; json: boolean }> {
    const args: Args = Object.fromEntries(url.searchParams);
    const body = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const json = contentType.startsWith('application/json');
    if (json) {
      if (body.length > 0) {
        const parsed = JSON.parse(body.toString('utf8')) as unknown; // a bad body throws: answered invalid_json
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          throw new SyntaxError('not an object');
        Object.assign(args, parsed);
      }
    } else if (contentType.startsWith('multipart/form-data')) {
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      for (const [key, value] of form) {
        args[key] = typeof value === 'string' ? value : { filename: value.name, size: value.size };
      }
    } else if (body.length > 0) {
      Object.assign(args, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
    }
    decodeJsonFields(args);
    const authorization = req.headers.authorization;
    let token = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    // Slack takes a token in a form body too, but ignores one inside a JSON body.
    if (typeof args.token === 'string') {
      if (!token && !json) token = args.token;
      delete args.token;
    }
    return { args, token: token || undefined, json };
  }

  function takeFailure(method: string): number | undefined {
    const queue = failures.get(method);
    const retryAfter = queue?.shift();
    if (queue && queue.length === 0) failures.delete(method);
    return retryAfter;
  }

  function takeError(call: RecordedCall): string | undefined {
    const queue = errors.get(call.method);
    const index = queue?.findIndex((entry) => entry.matches(call.args)) ?? -1;
    if (!queue || index < 0) return undefined;
    const [entry] = queue.splice(index, 1);
    if (queue.length === 0) errors.delete(call.method);
    return entry!.error;
  }

  function takeHold(call: RecordedCall): (() => void) | undefined {
    const queue = holds.get(call.method);
    const index = queue?.findIndex((hold) => hold.matches(call.args)) ?? -1;
    if (!queue || index < 0) return undefined;
    const [hold] = queue.splice(index, 1);
    if (queue.length === 0) holds.delete(call.method);
    return hold!.resolve;
  }

  /** Records the call, then answers it: 429, held (applied but unanswered), or 200 with the method's result. */
  function answer(res: ServerResponse, call: RecordedCall, apply: () => unknown): void {
    calls.push(call);
    const retryAfter = takeFailure(call.method);
    if (retryAfter !== undefined) {
      call.rateLimited = true;
      sendJson(res, 429, fail('ratelimited'), { 'Retry-After': String(retryAfter) });
      return;
    }
    const error = takeError(call);
    if (error !== undefined) {
      sendJson(res, 200, fail(error));
      return;
    }
    const hold = takeHold(call);
    const result = apply();
    call.result = result;
    if (hold) {
      held.add(res);
      res.on('close', () => held.delete(res));
      hold();
      return;
    }
    sendJson(res, 200, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const at = Date.now();

    if (url.pathname.startsWith('/api/')) {
      const method = decodeURIComponent(url.pathname.slice('/api/'.length));
      let parsed: Awaited<ReturnType<typeof parseRequest>>;
      try {
        parsed = await parseRequest(req, url);
      } catch {
        const call: RecordedCall = { method, args: {}, at };
        answer(res, call, () => fail('invalid_json'));
        return;
      }
      const call: RecordedCall = { method, args: parsed.args, at };
      if (parsed.token !== undefined) call.token = parsed.token;
      answer(res, call, () => {
        const handler = methods[method];
        if (!handler) return fail('unknown_method');
        if (!parsed.token) return fail('not_authed');
        if (!/^xox[a-z]-/.test(parsed.token)) return fail('invalid_auth');
        return handler(parsed.args);
      });
      return;
    }

    if (url.pathname.startsWith('/upload/') && req.method === 'POST') {
      const upload = uploads.find((candidate) => candidate.id === decodeURIComponent(url.pathname.slice(8)));
      const body = await readBody(req);
      if (!upload) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('not found');
        return;
      }
      const contentType = (req.headers['content-type'] ?? '').toLowerCase();
      let bytes = body;
      if (contentType.startsWith('multipart/form-data')) {
        const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
        const file = [...form.values()].find((value) => typeof value !== 'string');
        bytes = file ? Buffer.from(await (file as Blob).arrayBuffer()) : Buffer.alloc(0);
      }
      upload.bytes = bytes;
      calls.push({ method: 'upload', args: { file_id: upload.id, size: bytes.length }, at });
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`OK - ${bytes.length}`);
      return;
    }

    if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      const responseId = decodeURIComponent(url.pathname.slice('/response/'.length));
      const body = (await readBody(req)).toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        payload = undefined;
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('invalid_payload');
        return;
      }
      const args: Args = { ...(payload as Args), responseId };
      answer(res, { method: 'response_url', args, at }, () => ({ ok: true }));
      return;
    }

    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, fail('internal_error', { detail: String(error) }));
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
  const base = `http://127.0.0.1:${port}`;
  uploadBase = base;

  function releaseHeld(): void {
    for (const res of held) res.destroy();
    held.clear();
  }

  return {
    apiUrl: `${base}/api/`,
    botUserId,
    botId,
    teamId,
    responseUrl(id?: string) {
      responseCount += 1;
      return `${base}/response/${encodeURIComponent(id ?? `R${String(responseCount).padStart(6, '0')}`)}`;
    },
    calls,
    files() {
      return uploads.map((upload) => ({ ...upload }));
    },
    deleteFiles() {
      uploads = [];
    },
    callsTo(method: string) {
      return calls.filter((call) => call.method === method);
    },
    messages(channel: string) {
      return structuredClone(stored.filter((message) => message.channel === channel));
    },
    ephemerals(channel: string) {
      return structuredClone(ephemeralStore.filter((message) => message.channel === channel));
    },
    notInChannel,
    archived,
    errorNext(
      method: string,
      error: string,
      times: number,
      matches: (args: Record<string, unknown>) => boolean = () => true,
    ) {
      const queue = errors.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push({ error, matches });
      if (queue.length > 0) errors.set(method, queue);
    },
    unknownUsers,
    dmChannel,
    users,
    failNext(method: string, times: number, retryAfterSeconds: number) {
      if (!Number.isInteger(times) || times < 0)
        throw new RangeError(`times must be a non-negative integer, got ${times}`);
      if (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0) {
        throw new RangeError(`Retry-After is whole seconds, got ${retryAfterSeconds}`);
      }
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i++) queue.push(retryAfterSeconds);
      if (queue.length > 0) failures.set(method, queue);
    },
    holdNext(method: string, matches: (args: Record<string, unknown>) => boolean = () => true) {
      return new Promise<void>((resolve) => {
        const queue = holds.get(method) ?? [];
        queue.push({ resolve, matches });
        holds.set(method, queue);
      });
    },
    releaseHeld,
    reset() {
      releaseHeld();
      calls.length = 0;
      stored = [];
      ephemeralStore = [];
      failures.clear();
      holds.clear();
      errors.clear();
      archived.clear();
    },
    async close() {
      releaseHeld();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
