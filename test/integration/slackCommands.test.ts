// The slash commands end to end: the real bot (database, HTTP server, Bolt) receives signed
// requests exactly as Slack sends them and talks to a local Slack Web API stand-in. Each test
// checks what a person in Slack would see: the ephemeral answer, or the post in the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../../src/startBot.js';
import { startSlackBot, type SlackBot } from '../support/slackBot.js';
import type { RecordedCall, SlackStandIn } from '../support/slackStandIn.js';
import { sendSlashCommand, slackSignature, waitFor, type SendOptions } from '../support/slackRequests.js';

const cco = 'UCCO1';
const leader = 'ULEAD1';
const staff = 'USTAFF1';
const question = 'Did we earn the right to customer growth?';

let slack: SlackBot;
let standIn: SlackStandIn;
let bot: RunningBot;
let signingSecret: string;
let responses = 0;

beforeAll(async () => {
  slack = await startSlackBot({ BOOTSTRAP_CCO_SLACK_IDS: cco, ORG_CURRENCY: 'EUR' });
  ({ standIn, bot, signingSecret } = slack);
  const week = bot.services.lastWeek();
  const on = (day: number) => new Date(Date.parse(`${week}T12:00:00Z`) + day * 86_400_000).toISOString();
  const seeded = await bot.services.recordCustomerEvents([
    {
      external_id: 'ev-1',
      customer_id: 'c-1',
      customer_name: 'Acme',
      segment: 'Retail',
      kind: 'won',
      value: 1200,
      occurred_at: on(0),
    },
    {
      external_id: 'ev-2',
      customer_id: 'c-2',
      customer_name: 'Beta',
      segment: 'Retail',
      kind: 'won',
      value: 800,
      occurred_at: on(2),
    },
    {
      external_id: 'ev-3',
      customer_id: 'c-3',
      customer_name: 'Gamma',
      segment: 'Enterprise',
      kind: 'won',
      value: 500,
      occurred_at: on(4),
    },
    {
      external_id: 'ev-4',
      customer_id: 'c-4',
      customer_name: 'Delta',
      segment: 'Enterprise',
      kind: 'lost',
      value: 400,
      occurred_at: on(6),
      reason: 'Price',
    },
  ]);
  expect(seeded).toEqual({ stored: 4, duplicates: 0, rejected: [] });
});

afterAll(() => slack?.stop());

interface Sent {
  status: number;
  responseId: string;
}

/** Sends `/command text` from a user in a channel; the bot answers later at responseUrl(responseId). */
async function slash(
  userId: string,
  channelId: string,
  command: string,
  text: string,
  options: SendOptions = {},
): Promise<Sent> {
  const responseId = `resp-${++responses}`;
  const { status } = await sendSlashCommand(
    bot.url,
    signingSecret,
    { command, text, userId, channelId, responseUrl: standIn.responseUrl(responseId) },
    options,
  );
  return { status, responseId };
}

function answersTo(responseId: string): RecordedCall[] {
  return standIn.callsTo('response_url').filter((call) => call.args.responseId === responseId);
}

/** The first answer posted to the command's response_url. */
async function answerTo(sent: Sent): Promise<RecordedCall['args']> {
  expect(sent.status).toBe(200);
  const call = await waitFor(() => answersTo(sent.responseId)[0], {
    what: `an answer at response_url ${sent.responseId}`,
  });
  return call.args;
}

/** Sends the command and returns the ephemeral text the person sees. */
async function ephemeralText(
  userId: string,
  channelId: string,
  command: string,
  text: string,
  options: SendOptions = {},
): Promise<string> {
  const answer = await answerTo(await slash(userId, channelId, command, text, options));
  expect(answer.response_type).toBe('ephemeral');
  expect(typeof answer.text).toBe('string');
  return answer.text as string;
}

function postsTo(channel: string): RecordedCall[] {
  return standIn.callsTo('chat.postMessage').filter((call) => call.args.channel === channel);
}

interface HeaderBlock {
  type: string;
  text?: { type: string; text: string };
}

describe('Slack slash commands, end to end', () => {
  it('refuses requests that are not signed by Slack or are replayed late, and does nothing for them', async () => {
    const now = Math.floor(Date.now() / 1000);
    const forged = await slash(cco, 'CREFUSED', '/digest', 'now', { signWith: 'not-the-signing-secret' });
    const stale = await slash(cco, 'CREFUSED', '/digest', 'now', { timestamp: now - 6 * 60 });
    expect(forged.status).toBe(401);
    expect(stale.status).toBe(401);

    // A signed request sent after them is answered, so the refused ones had every chance to be.
    expect(await ephemeralText(cco, 'CREFUSED', '/digest', 'help')).toContain('/digest subscribe');
    expect(answersTo(forged.responseId)).toEqual([]);
    expect(answersTo(stale.responseId)).toEqual([]);
    expect(postsTo('CREFUSED')).toEqual([]);
    expect(standIn.messages('CREFUSED')).toEqual([]);
  });

  it('refuses a request stamped more than 5 minutes in the future, which Bolt alone would accept', async () => {
    const now = Math.floor(Date.now() / 1000);
    const ahead = await slash(cco, 'CFUTURE', '/digest', 'now', { timestamp: now + 6 * 60 });
    expect(ahead.status).toBe(401);
    // Bolt's own check is one-sided (only "older than 5 minutes"): the same request goes through it.
    const { verifySlackRequest } = await import('@slack/bolt');
    const body = 'command=%2Fdigest&text=now';
    const timestamp = now + 6 * 60;
    expect(() =>
      verifySlackRequest({
        signingSecret,
        body,
        headers: {
          'x-slack-signature': slackSignature(signingSecret, timestamp, body),
          'x-slack-request-timestamp': timestamp,
        },
      }),
    ).not.toThrow();
    // Clocks a little apart still work: a request 4 minutes ahead is answered.
    expect(await ephemeralText(cco, 'CFUTURE', '/digest', 'help', { timestamp: now + 4 * 60 })).toContain(
      '/digest subscribe',
    );
    expect(answersTo(ahead.responseId)).toEqual([]);
    expect(standIn.messages('CFUTURE')).toEqual([]);
  });

  it('answers GET /slack/events with 405 and Allow: POST', async () => {
    const response = await fetch(`${bot.url}/slack/events`);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers a slash command it does not handle at once, in the acknowledgement', async () => {
    const responseId = `resp-${++responses}`;
    const sent = await sendSlashCommand(bot.url, signingSecret, {
      command: '/growth-report',
      text: 'now',
      userId: staff,
      channelId: 'C0GENERAL',
      responseUrl: standIn.responseUrl(responseId),
    });
    expect(sent.status).toBe(200);
    const answer = JSON.parse(sent.body) as { response_type: string; text: string };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^I don't know `\/growth-report`\. I answer `\/digest`, `\/cco`/);
    // A command the bot does handle gets only its own answer.
    const knownId = `resp-${++responses}`;
    const known = await sendSlashCommand(bot.url, signingSecret, {
      command: '/digest',
      text: 'help',
      userId: staff,
      channelId: 'C0GENERAL',
      responseUrl: standIn.responseUrl(knownId),
    });
    expect(known.status).toBe(200);
    expect(known.body).not.toContain("I don't know");
    expect((await answerTo({ status: known.status, responseId: knownId })).text).toContain('/digest subscribe');
  });

  it('shows anyone a private preview of last week’s digest, numbers included', async () => {
    const sent = await slash(staff, 'C0GENERAL', '/digest', 'preview');
    const answer = await answerTo(sent);
    expect(answer.response_type).toBe('ephemeral');
    const blocks = answer.blocks as HeaderBlock[];
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: question } });
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('Yes: we gained 2 customers more than we lost and customer value grew by €2,100.');
    expect(shown).toContain('*Customers won*\\n*3* · €2,500');
    expect(shown).toContain('*Customers lost*\\n*1* · €400');
    expect(shown).toContain('won 2 (€2,000)'); // Retail
    expect(shown).toContain('Price (1)');
    // Only the person who asked sees it: nothing lands in the channel.
    expect(standIn.messages('C0GENERAL')).toEqual([]);
  });

  it('tells staff in plain words that only the CCO or a leader can subscribe a channel', async () => {
    const text = await ephemeralText(staff, 'C123', '/digest', 'subscribe');
    expect(text).toBe(
      'Only the CCO or a leader can subscribe or unsubscribe a channel to the Monday digest. You are staff here; ask your CCO if that should change.',
    );
    expect(await bot.services.digestSubscriptions()).toEqual([]);
    expect(standIn.callsTo('conversations.join')).toEqual([]);
  });

  it('lets the CCO make someone a leader, who can then subscribe a channel (once)', async () => {
    expect(await ephemeralText(cco, 'C0ADMIN', '/cco', 'role <@ULEAD1|lee> leader')).toBe('<@ULEAD1> is now a leader.');

    const subscribed = await ephemeralText(leader, 'C123', '/digest', 'subscribe');
    expect(subscribed).toContain('This channel will get the customer asset digest every Monday at 08:00 (UTC).');
    const subscriptions = await bot.services.digestSubscriptions();
    expect(subscriptions).toEqual([expect.objectContaining({ platform: 'slack', channelId: 'C123' })]);
    expect(standIn.callsTo('conversations.join').map((call) => call.args.channel)).toEqual(['C123']);

    expect(await ephemeralText(leader, 'C123', '/digest', 'subscribe')).toBe(
      'This channel already gets the digest every Monday at 08:00 (UTC).',
    );
    expect(await bot.services.digestSubscriptions()).toHaveLength(1);
  });

  it('posts the digest into the channel on /digest now, tagged with the week for crash recovery', async () => {
    const sent = await slash(leader, 'C123', '/digest', 'now');
    expect(sent.status).toBe(200);
    const [message] = await waitFor(() => standIn.messages('C123').length > 0 && standIn.messages('C123'), {
      what: 'the digest in C123',
    });
    expect(standIn.messages('C123')).toHaveLength(1);
    expect(message!.thread_ts).toBeUndefined();
    expect((message!.blocks as HeaderBlock[])[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: question },
    });
    expect(JSON.stringify(message!.blocks)).toContain('*3* · €2,500');
    expect(message!.metadata).toEqual({
      event_type: 'customer_asset_digest',
      event_payload: { week_start: bot.services.lastWeek(), period: bot.services.lastWeek(), part: 0 },
    });
    // Posting is its own answer: no error came back to the leader.
    expect(answersTo(sent.responseId)).toEqual([]);
  });

  it('asks to be invited when /digest now runs in a private channel the bot is not in', async () => {
    standIn.notInChannel.add('G0PRIVATE');
    const text = await ephemeralText(leader, 'G0PRIVATE', '/digest', 'now');
    expect(text).toBe('I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.');
    expect(standIn.messages('G0PRIVATE')).toEqual([]);
  });

  it('explains what it can do when a command is misspelt or a person is not @-mentioned', async () => {
    const digest = await ephemeralText(staff, 'C0GENERAL', '/digest', 'frobnicate');
    expect(digest).toContain("I don't know `/digest frobnicate`.");
    for (const action of ['/digest preview', '/digest subscribe', '/digest unsubscribe', '/digest now'])
      expect(digest).toContain(action);

    const cco_ = await ephemeralText(cco, 'C0ADMIN', '/cco', 'role dana leader');
    expect(cco_).toBe(
      'Name the person with an @-mention and a role, like `/cco role @dana leader`. Roles are `cco`, `leader` and `staff`.',
    );
  });

  it('never lets customer-provided words ping the channel or disguise a link', async () => {
    const week = bot.services.lastWeek();
    const seeded = await bot.services.recordCustomerEvents([
      {
        external_id: 'ev-hostile',
        customer_id: 'c-hostile',
        customer_name: 'Mallory Ltd',
        segment: '<!channel> Retail',
        kind: 'lost',
        value: 300,
        occurred_at: `${week}T09:00:00Z`,
        reason: '<https://evil.example|Reset your password>',
      },
    ]);
    expect(seeded.stored).toBe(1);

    const sent = await slash(leader, 'C0HOSTILE', '/digest', 'now');
    expect(sent.status).toBe(200);
    const [message] = await waitFor(() => standIn.messages('C0HOSTILE').length > 0 && standIn.messages('C0HOSTILE'), {
      what: 'the digest in C0HOSTILE',
    });
    const posted = JSON.stringify({ text: message!.text, blocks: message!.blocks });
    expect(posted).not.toContain('<!channel>');
    expect(posted).not.toContain('<https://evil.example|');
    expect(posted).toContain('&lt;!channel&gt; Retail');
    expect(posted).toContain('&lt;https://evil.example|Reset your password&gt;');
  });

  it('waits out Slack’s rate limit (Retry-After) and posts the digest exactly once', async () => {
    standIn.failNext('chat.postMessage', 1, 1);
    const sent = await slash(leader, 'C0LIMITED', '/digest', 'now');
    expect(sent.status).toBe(200);
    await waitFor(() => standIn.messages('C0LIMITED').length > 0, {
      what: 'the digest in C0LIMITED',
      timeoutMs: 20_000,
    });

    const attempts = postsTo('C0LIMITED');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.rateLimited).toBe(true);
    expect(attempts[1]!.rateLimited).toBeUndefined();
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
    const messages = standIn.messages('C0LIMITED');
    expect(messages).toHaveLength(1);
    expect((messages[0]!.blocks as HeaderBlock[])[0]?.text?.text).toBe(question);
    expect(answersTo(sent.responseId)).toEqual([]);
  });
});

describe('the digest of a month, quarter or year, over signed requests', () => {
  beforeAll(async () => {
    const event = (id: string, kind: 'won' | 'lost', value: number, occurredAt: string, reason?: string) => ({
      external_id: `period-${id}`,
      customer_id: `period-${id}`,
      customer_name: `Quarterly ${id}`,
      segment: 'Wholesale',
      kind,
      value,
      occurred_at: occurredAt,
      ...(reason ? { reason } : {}),
    });
    expect(
      await bot.services.recordCustomerEvents([
        // The third quarter of 2026, from its first minute to its last.
        event('q3-first', 'won', 3000, '2026-07-01T00:00:00Z'),
        event('q3-last', 'won', 4000, '2026-09-30T23:59:00Z'),
        event('q3-lost', 'lost', 900, '2026-08-14T10:00:00Z', 'Slow support'),
        // The quarter before, the quarter after, and the same quarter a year before.
        event('q2', 'won', 1000, '2026-06-30T23:59:00Z'),
        event('q4', 'won', 5000, '2026-10-01T00:00:00Z'),
        event('q3-2025-a', 'won', 700, '2025-07-15T12:00:00Z'),
        event('q3-2025-b', 'won', 800, '2025-09-15T12:00:00Z'),
        event('q3-2025-c', 'won', 900, '2025-09-16T12:00:00Z'),
      ]),
    ).toMatchObject({ stored: 8 });
  });

  it('shows /digest preview 2026-Q3 with that quarter’s numbers, against the quarter before and a year before', async () => {
    const answer = await answerTo(await slash(staff, 'C0GENERAL', '/digest', 'preview 2026-Q3'));
    expect(answer.response_type).toBe('ephemeral');
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toMatch(/Customer asset digest · Q3 2026 \(Jul/);
    expect(shown).toContain('*Customers won*\\n*2* · €7,000\\n_last quarter 1 · a year ago 3_');
    expect(shown).toContain('*Customers lost*\\n*1* · €900\\n_last quarter 0 · a year ago 0_');
    expect(shown).toContain('Slow support (1)');
    expect(shown).toContain('What customers told us* · 0 reports this quarter (last quarter 0)');
    expect(standIn.messages('C0GENERAL')).toEqual([]);
  });

  it('answers text that is not a period with what it accepts, and shows nothing', async () => {
    const text = await ephemeralText(staff, 'C0GENERAL', '/digest', 'preview fortnight');
    expect(text).toBe(
      '“fortnight” is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in `/digest preview 2026-Q3`. Nothing was shown.',
    );
    expect(await ephemeralText(staff, 'C0GENERAL', '/digest', '2026-13')).toMatch(/^“2026-13” is not a period I know/);
  });

  it('subscribes a channel to the monthly story, and refuses a cadence it does not know with nothing saved', async () => {
    const refused = await ephemeralText(leader, 'C0MONTHLY', '/digest', 'subscribe fortnightly');
    expect(refused).toBe(
      '“fortnightly” is not how often I post the digest: try weekly, monthly, quarterly or yearly. Nothing was changed.',
    );
    expect(await bot.services.digestSubscriptions('monthlyDigest')).toEqual([]);
    expect(standIn.callsTo('conversations.join').filter((call) => call.args.channel === 'C0MONTHLY')).toEqual([]);

    expect(await ephemeralText(leader, 'C0MONTHLY', '/digest', 'subscribe monthly')).toBe(
      'This channel will get the monthly customer asset digest on the first Monday after each month ends, at 08:00 (UTC). In a private channel, invite me so I can post.',
    );
    expect(await bot.services.digestSubscriptions('monthlyDigest')).toEqual([
      expect.objectContaining({ platform: 'slack', channelId: 'C0MONTHLY', purpose: 'monthlyDigest' }),
    ]);
    expect(await ephemeralText(leader, 'C0MONTHLY', '/digest', 'unsubscribe')).toBe(
      'This channel will no longer get the monthly digest.',
    );
  });
});
