// The Slack stand-in, driven by the real WebClient: if these pass, the stand-in speaks
// the wire format (form bodies, JSON-encoded blocks/metadata, 429 + Retry-After) the
// client and Bolt use.
import { LogLevel, WebClient, type WebAPICallResult } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackStandIn, type SlackStandIn } from './slackStandIn.js';

const token = 'xoxb-test-token';
const logLevel = LogLevel.ERROR; // the client logs retries and timeouts we provoke on purpose
const channel = 'C0DIGEST01';

interface WireMessage {
  ts: string;
  text: string;
  thread_ts?: string;
  reply_count?: number;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

function messagesOf(result: WebAPICallResult): WireMessage[] {
  return (result as { messages?: WireMessage[] }).messages ?? [];
}

async function slackError(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error;
  }
  throw new Error('expected the call to fail');
}

describe('Slack stand-in', () => {
  let slack: SlackStandIn;
  let client: WebClient;

  beforeEach(async () => {
    slack = await startSlackStandIn({ botUserId: 'U0BOT00001', teamId: 'T0TEAM0001' });
    // Quick retries so a rate-limited call waits only for Retry-After.
    client = new WebClient(token, {
      slackApiUrl: slack.apiUrl,
      logLevel,
      retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
    });
  });

  afterEach(async () => {
    await slack.close();
  });

  it('answers auth.test with the bot and team', async () => {
    expect(slack.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const result = await client.auth.test();
    expect(result).toMatchObject({ ok: true, user_id: 'U0BOT00001', team_id: 'T0TEAM0001', bot_id: slack.botId });
    expect(result.url).toMatch(/^https:\/\//);
    expect(slack.calls).toEqual([expect.objectContaining({ method: 'auth.test', token })]);
  });

  it('stores a post with blocks and metadata and returns it from history with include_all_metadata', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*Week 12*' } }];
    const metadata = { event_type: 'customer_asset_digest', event_payload: { week_start: '2024-03-18', part: 0 } };
    const posted = await client.chat.postMessage({ channel, text: 'Week 12', blocks, metadata });

    expect(posted.ok).toBe(true);
    expect(posted.channel).toBe(channel);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(posted.message).toMatchObject({ text: 'Week 12', ts: posted.ts, user: 'U0BOT00001', blocks });

    // Sent form-encoded; the stand-in decodes the JSON-valued fields.
    const [call] = slack.callsTo('chat.postMessage');
    expect(call?.args).toMatchObject({ channel, text: 'Week 12', blocks, metadata });
    expect(call?.token).toBe(token);
    expect(call?.at).toBeTypeOf('number');

    const history = await client.conversations.history({ channel, include_all_metadata: true });
    expect(messagesOf(history)).toEqual([
      expect.objectContaining({ ts: posted.ts, text: 'Week 12', blocks, metadata }),
    ]);

    const withoutMetadata = await client.conversations.history({ channel });
    expect(messagesOf(withoutMetadata)[0]).not.toHaveProperty('metadata');

    expect(slack.messages(channel)).toEqual([
      { ts: posted.ts, channel, text: 'Week 12', blocks, metadata, user: 'U0BOT00001' },
    ]);
    expect(slack.messages('C0ELSEWHERE')).toEqual([]);
  });

  it('keeps thread replies out of history but returns them from conversations.replies', async () => {
    const parent = await client.chat.postMessage({ channel, text: 'parent' });
    const reply = await client.chat.postMessage({
      channel,
      text: 'reply',
      thread_ts: parent.ts!,
      metadata: { event_type: 'customer_asset_digest', event_payload: { part: 1 } },
    });
    const later = await client.chat.postMessage({ channel, text: 'later' });
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
    expect(Number(later.ts)).toBeGreaterThan(Number(reply.ts));

    const history = messagesOf(await client.conversations.history({ channel }));
    expect(history.map((m) => m.text)).toEqual(['later', 'parent']);
    expect(history[1]).toMatchObject({ thread_ts: parent.ts, reply_count: 1 });

    const replies = messagesOf(
      await client.conversations.replies({ channel, ts: parent.ts!, include_all_metadata: true }),
    );
    expect(replies.map((m) => [m.text, m.ts])).toEqual([
      ['parent', parent.ts],
      ['reply', reply.ts],
    ]);
    expect(replies[1]).toMatchObject({ thread_ts: parent.ts, metadata: { event_payload: { part: 1 } } });
    const plainReplies = messagesOf(await client.conversations.replies({ channel, ts: parent.ts! }));
    expect(plainReplies[1]).not.toHaveProperty('metadata');

    expect(slack.messages(channel).map((m) => [m.text, m.thread_ts])).toEqual([
      ['parent', undefined],
      ['reply', parent.ts],
      ['later', undefined],
    ]);
  });

  it('pages history newest first with limit, cursor, oldest and latest', async () => {
    const ts: string[] = [];
    for (let i = 0; i < 5; i++) ts.push((await client.chat.postMessage({ channel, text: `m${i}` })).ts!);

    const first = await client.conversations.history({ channel, limit: 2 });
    expect(messagesOf(first).map((m) => m.text)).toEqual(['m4', 'm3']);
    expect(first.has_more).toBe(true);
    expect(first.response_metadata?.next_cursor).toBeTruthy();

    const texts: string[] = [];
    for await (const page of client.paginate('conversations.history', { channel, limit: 2 })) {
      texts.push(...messagesOf(page).map((m) => m.text));
    }
    expect(texts).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect(slack.callsTo('conversations.history').at(-1)?.args.cursor).toBeTruthy();

    const between = await client.conversations.history({ channel, oldest: ts[0]!, latest: ts[3]! });
    expect(messagesOf(between).map((m) => m.text)).toEqual(['m2', 'm1']);
    const inclusive = await client.conversations.history({ channel, oldest: ts[0]!, latest: ts[3]!, inclusive: true });
    expect(messagesOf(inclusive).map((m) => m.text)).toEqual(['m3', 'm2', 'm1', 'm0']);
    const fromDate = await client.conversations.history({
      channel,
      oldest: String(Math.floor(Date.now() / 1000) - 3600),
    });
    expect(messagesOf(fromDate)).toHaveLength(5);
  });

  it('answers 429 with Retry-After, which the WebClient waits out before retrying', async () => {
    slack.failNext('chat.postMessage', 1, 1);
    const started = Date.now();
    const posted = await client.chat.postMessage({ channel, text: 'after the limit' });
    const elapsed = Date.now() - started;

    expect(posted.ok).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(slack.messages(channel)).toHaveLength(1);
    const attempts = slack.callsTo('chat.postMessage');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]?.rateLimited).toBe(true);
    expect(attempts[1]?.rateLimited).toBeUndefined();
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
  });

  it('sends the 429 wire format: status, Retry-After header and ratelimited body', async () => {
    slack.failNext('conversations.history', 1, 7);
    const response = await fetch(`${slack.apiUrl}conversations.history`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `channel=${channel}`,
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('applies a held call but never answers it', async () => {
    const impatient = new WebClient(token, {
      slackApiUrl: slack.apiUrl,
      logLevel,
      timeout: 500,
      retryConfig: { retries: 0 },
    });
    const arrived = slack.holdNext('chat.postMessage');
    const post = impatient.chat.postMessage({ channel, text: 'landed, unheard' });

    await arrived;
    await expect(post).rejects.toThrow();
    expect(slack.messages(channel)).toEqual([expect.objectContaining({ text: 'landed, unheard' })]);
    slack.releaseHeld();

    // Only the next call was held: the ordinary client still gets answers.
    const after = await client.chat.postMessage({ channel, text: 'answered' });
    expect(after.ok).toBe(true);
    expect(slack.messages(channel).map((m) => m.text)).toEqual(['landed, unheard', 'answered']);
  });

  it('reports Slack errors the way Slack does', async () => {
    expect(await slackError(client.apiCall('chat.nonsense', { channel }))).toBe('unknown_method');
    expect(await slackError(new WebClient(undefined, { slackApiUrl: slack.apiUrl, logLevel }).auth.test())).toBe(
      'not_authed',
    );
    expect(await slackError(client.chat.postMessage({ channel: '', text: 'x' }))).toBe('channel_not_found');
    expect(await slackError(client.apiCall('chat.postMessage', { channel }))).toBe('no_text');

    slack.notInChannel.add('C0PRIVATE1');
    expect(await slackError(client.chat.postMessage({ channel: 'C0PRIVATE1', text: 'x' }))).toBe('not_in_channel');
    expect(await slackError(client.conversations.history({ channel: 'C0PRIVATE1' }))).toBe('not_in_channel');

    slack.unknownUsers.add('U0GONE0001');
    expect(await slackError(client.users.info({ user: 'U0GONE0001' }))).toBe('user_not_found');
    expect(slack.messages('C0PRIVATE1')).toEqual([]);
  });

  it('updates messages, posts ephemerals, looks up users and opens views', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'draft' });
    const updated = await client.chat.update({ channel, ts: posted.ts!, text: 'final' });
    expect(updated).toMatchObject({ ok: true, channel, ts: posted.ts, text: 'final' });
    expect(slack.messages(channel)).toEqual([expect.objectContaining({ ts: posted.ts, text: 'final' })]);

    const ephemeral = await client.chat.postEphemeral({ channel, user: 'U0PERSON01', text: 'only you' });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(slack.ephemerals(channel)).toEqual([
      expect.objectContaining({ ts: ephemeral.message_ts, user: 'U0PERSON01', text: 'only you' }),
    ]);
    expect(slack.messages(channel)).toHaveLength(1);

    const user = await client.users.info({ user: 'U0PERSON01' });
    expect(user.user).toMatchObject({ id: 'U0PERSON01', tz: 'UTC', is_admin: false });
    expect(user.user?.name).toBeTruthy();
    slack.users.set('U0PERSON01', { is_admin: true });
    expect((await client.users.info({ user: 'U0PERSON01' })).user?.is_admin).toBe(true);

    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Roles' }, blocks: [] };
    const opened = await client.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view).toMatchObject({ ...view, id: expect.any(String) });
    expect(slack.callsTo('views.open')[0]?.args.view).toEqual(view);
    const published = await client.views.publish({ user_id: 'U0PERSON01', view: { type: 'home', blocks: [] } });
    expect(published.view?.id).toBeTruthy();
  });

  it('records response_url posts and JSON-bodied API calls', async () => {
    const url = slack.responseUrl('cmd-1');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: 'Subscribed', response_type: 'ephemeral' }),
    });
    expect(response.ok).toBe(true);
    expect(slack.callsTo('response_url')).toEqual([
      expect.objectContaining({ args: { text: 'Subscribed', response_type: 'ephemeral', responseId: 'cmd-1' } }),
    ]);
    expect(slack.responseUrl()).not.toBe(slack.responseUrl());

    const json = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel, text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await json.json()).toMatchObject({ ok: true, channel });
    expect(slack.messages(channel)).toEqual([expect.objectContaining({ text: 'json', blocks: [{ type: 'divider' }] })]);
  });
});
