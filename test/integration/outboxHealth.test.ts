// One stuck call never stalls the others, end to end: the real bot (HTTP server, Bolt,
// database) and the real Web API client against the Slack stand-in, which can take a post and
// never answer it. Another worker with a clock the test moves stands in for "later", so
// back-offs are passed without waiting; nothing here measures how long anything took.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { maxNoticeAttempts, retryDelayMs, type NoticeDraft } from '../../src/domain/notices.js';
import { createServices } from '../../src/services.js';
import { digestClient, slackDigestPoster } from '../../src/slack/digestPoster.js';
import { slackNoticeSender } from '../../src/slack/noticeSender.js';
import { queueNotices } from '../../src/store/issueStore.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendEvent, sendSlashCommand, waitFor } from '../support/slackRequests.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const signingSecret = 'stand-in-signing-secret-outbox';
const cco = 'UCCO1';
const staff = 'USTAFF1';
const others = ['CFINE1', 'CFINE2', 'CFINE3', 'CFINE4', 'CFINE5', 'CFINE6'];

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;
let responses = 0;
/** The clock of the "later" worker, in ms. */
let laterNow = Date.now();

function env() {
  return {
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: standIn.apiUrl,
    BOOTSTRAP_CCO_SLACK_IDS: cco,
    ORG_TIMEZONE: 'UTC',
  };
}

/** Another worker on the same database whose clock the test moves; its Slack client gives up a call after `timeoutMs`. */
function laterWorker(options: { timeoutMs?: number } = {}) {
  const services = createServices(db.database.prisma, loadConfig(env()), {
    log: process.env.DEBUG_OUTBOX ? (m, c) => console.log(m, c) : () => {},
    clock: () => new Date(laterNow),
    worker: `later-${Math.random().toString(36).slice(2, 8)}`,
  });
  const client = digestClient('xoxb-test', {
    slackApiUrl: standIn.apiUrl,
    ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
  });
  services.addNoticeSender(slackNoticeSender(client, { format: services.settings, callList: services.callList }));
  services.addPoster(slackDigestPoster(client));
  return services;
}

function announcement(channel: string, title = 'Refunds are slow'): NoticeDraft {
  return {
    key: `test-announcement:${channel}:${Math.random()}`,
    platform: 'slack',
    target: channel,
    toUser: false,
    content: {
      kind: 'hopeAnnouncement',
      issueNumber: 7,
      title,
      stageName: 'Get help',
      categoryName: 'Billing',
      whatChanged: 'Refunds now take two days.',
      reports: 3,
      sources: ['web'],
    },
  };
}

/** Queues notices; `forLaterWorker` makes them due only on the later worker's clock, so the bot's own every-minute run leaves them alone. */
async function queue(drafts: NoticeDraft[], options: { forLaterWorker?: boolean } = {}): Promise<void> {
  await db.database.prisma.$transaction((tx) => queueNotices(tx, drafts));
  if (!options.forLaterWorker) return;
  laterNow = Date.now() + 30 * 60_000;
  await db.database.prisma.notice.updateMany({
    where: { key: { in: drafts.map((draft) => draft.key) } },
    data: { notBefore: new Date(laterNow) },
  });
}

const noticePosts = (channel: string) =>
  standIn.messages(channel).filter((message) => message.metadata?.event_type === 'customer_growth_notice');

/** What `/cco undelivered` shows this person. */
async function undeliveredAs(userId: string): Promise<string> {
  const responseId = `outbox-${++responses}`;
  const sent = await sendSlashCommand(bot.url, signingSecret, {
    command: '/cco',
    text: 'undelivered',
    userId,
    channelId: 'C0ADMIN',
    responseUrl: standIn.responseUrl(responseId),
  });
  expect(sent.status).toBe(200);
  const answer = await waitFor(
    () => standIn.callsTo('response_url').find((call) => call.args.responseId === responseId),
    { what: 'the answer to /cco undelivered' },
  );
  return answer.args.text as string;
}

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn();
  bot = await startBot(loadConfig(env()), { log: () => {} });
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

beforeEach(async () => {
  standIn.reset();
  laterNow = Date.now();
  await db.database.prisma.notice.deleteMany();
  await db.database.prisma.digestDelivery.deleteMany();
  await db.database.prisma.channelSubscription.deleteMany();
});

describe('a channel that never answers', () => {
  it('does not stop the notices to other channels, and its own is sent once after all', async () => {
    await queue([announcement('CHELD1'), ...others.map((channel) => announcement(channel))]);
    const held = standIn.holdNext('chat.postMessage', (args) => args.channel === 'CHELD1');

    let finished = false;
    const run = bot.services.sendNotices().then(() => (finished = true));
    await held;
    await waitFor(
      async () => (await db.database.prisma.notice.count({ where: { status: 'sent' } })) === others.length,
      { what: 'the other channels’ notices', timeoutMs: 60_000 },
    );
    // Delivered everywhere else while the held post still has no answer.
    expect(finished).toBe(false);
    for (const channel of others) expect(noticePosts(channel)).toHaveLength(1);

    standIn.releaseHeld();
    await run;
    // Slack took the held post before the connection dropped; the retry, after its back-off, finds it instead of posting again.
    laterNow = Date.now() + retryDelayMs(1) + 5000;
    await laterWorker().sendNotices();
    expect(noticePosts('CHELD1')).toHaveLength(1);
    expect(await db.database.prisma.notice.findFirst({ where: { target: 'CHELD1' } })).toMatchObject({
      status: 'sent',
      messageId: noticePosts('CHELD1')[0]!.ts,
    });
  });

  it('is given up on by the request timeout, as "may have landed", and not posted twice', async () => {
    await queue([announcement('CSLOW1')], { forLaterWorker: true });
    const held = standIn.holdNext('chat.postMessage', (args) => args.channel === 'CSLOW1');
    // Nobody releases this hold: only the client's timeout ends the call.
    await Promise.all([laterWorker({ timeoutMs: 1500 }).sendNotices(), held]);
    expect(await db.database.prisma.notice.findFirst({ where: { target: 'CSLOW1' } })).toMatchObject({
      status: 'sending',
      attempts: 1,
      sentAt: null,
    });

    laterNow += retryDelayMs(1) + 1000;
    await laterWorker().sendNotices();
    expect(standIn.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CSLOW1')).toHaveLength(1);
    expect(noticePosts('CSLOW1')).toHaveLength(1);
    expect(await db.database.prisma.notice.findFirst({ where: { target: 'CSLOW1' } })).toMatchObject({
      status: 'sent',
    });
  });

  it('does not stop the Monday digest reaching the other channels', async () => {
    for (const channelId of ['CHELD1', ...others])
      await deliveryStore(db.database.prisma).subscribe({ platform: 'slack', channelId }, cco);
    const week = bot.services.lastWeek();
    const digestPosts = (channel: string) =>
      standIn
        .messages(channel)
        .filter((message) => message.metadata?.event_type === 'customer_asset_digest' && !message.thread_ts);
    const held = standIn.holdNext('chat.postMessage', (args) => args.channel === 'CHELD1');

    let finished = false;
    const run = bot.services.deliverDigest(week).then((report) => {
      finished = true;
      return report;
    });
    await held;
    await waitFor(() => others.every((channel) => digestPosts(channel).length === 1), {
      what: 'the other channels’ digests',
      timeoutMs: 60_000,
    });
    expect(finished).toBe(false);

    standIn.releaseHeld();
    const report = await run;
    expect(report.posted.map((channel) => channel.channelId)).toEqual(others);
    expect(report.failed.map((channel) => channel.channelId)).toEqual(['CHELD1']);
  });
});

describe('notices that cannot be delivered', () => {
  it('gives up at once on an archived channel and shows it to the CCO, escaped, and to nobody else', async () => {
    standIn.archived.add('CARCH1');
    await queue([
      announcement('CARCH1', 'Invoices <!channel> <https://evil.example|bank.com>'),
      announcement('CFINE1'),
    ]);

    await bot.services.sendNotices();
    laterNow += 7 * 24 * 60 * 60_000;
    await laterWorker().sendNotices();

    expect(standIn.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CARCH1')).toHaveLength(1);
    expect(noticePosts('CFINE1')).toHaveLength(1);
    expect(await db.database.prisma.notice.findFirst({ where: { target: 'CARCH1' } })).toMatchObject({
      status: 'undeliverable',
      givenUpBecause: 'refused',
      lastError: 'Slack said is_archived',
    });

    const shown = await undeliveredAs(cco);
    expect(shown).toContain('the announcement that issue #7');
    expect(shown).toContain('to <#CARCH1>');
    expect(shown).toContain('Slack refused it for good (Slack said is_archived)');
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<https://evil.example');
    expect(shown).not.toContain('CFINE1');

    expect(await undeliveredAs(staff)).toBe(
      'Only the CCO can see which messages the bot could not deliver. You are staff here; ask your CCO if that should change.',
    );
  });

  it('stops retrying a notice that keeps failing after the bound, and says so', async () => {
    await queue([announcement('CFLAKY')], { forLaterWorker: true });
    standIn.errorNext('chat.postMessage', 'fatal_error', maxNoticeAttempts + 5, (args) => args.channel === 'CFLAKY');
    const worker = laterWorker();
    for (let attempt = 1; attempt <= maxNoticeAttempts + 3; attempt++) {
      await worker.sendNotices();
      laterNow += retryDelayMs(attempt) + 1000;
    }

    expect(standIn.callsTo('chat.postMessage').filter((call) => call.args.channel === 'CFLAKY')).toHaveLength(
      maxNoticeAttempts,
    );
    expect(await db.database.prisma.notice.findFirst({ where: { target: 'CFLAKY' } })).toMatchObject({
      status: 'undeliverable',
      givenUpBecause: 'tooManyAttempts',
      attempts: maxNoticeAttempts,
    });
    expect(await undeliveredAs(cco)).toContain(
      `to <#CFLAKY>: it failed ${maxNoticeAttempts} times; last: An API error occurred: fatal_error`,
    );
  });

  it('tells the CCO when nothing was given up', async () => {
    expect(await undeliveredAs(cco)).toBe('Every notice was delivered: none were given up.');
  });
});

describe('channels that go away', () => {
  const subscribed = async () =>
    (
      await db.database.prisma.channelSubscription.findMany({ orderBy: [{ channelId: 'asc' }, { purpose: 'asc' }] })
    ).map((row) => `${row.channelId}:${row.purpose}`);

  async function subscribeBoth(channelId: string) {
    await deliveryStore(db.database.prisma).subscribe({ platform: 'slack', channelId }, cco);
    await deliveryStore(db.database.prisma).subscribe({ platform: 'slack', channelId }, cco, 'hope');
  }

  it('ends an archived channel’s subscriptions when Slack sends a signed channel_archive event', async () => {
    await subscribeBoth('CGONE1');
    await subscribeBoth('CSTAY1');

    const forged = await sendEvent(
      bot.url,
      signingSecret,
      { type: 'channel_archive', channel: 'CSTAY1', user: cco },
      { signWith: 'not-the-secret' },
    );
    expect(forged.status).toBe(401);
    const sent = await sendEvent(bot.url, signingSecret, { type: 'channel_archive', channel: 'CGONE1', user: cco });
    expect(sent.status).toBe(200);

    await waitFor(async () => !(await subscribed()).some((row) => row.startsWith('CGONE1')), {
      what: 'CGONE1’s subscriptions to end',
    });
    expect(await subscribed()).toEqual(['CSTAY1:digest', 'CSTAY1:hope']);
  });

  it('ends a channel’s subscriptions when the bot, and only the bot, leaves it', async () => {
    await subscribeBoth('CLEFT1');
    await subscribeBoth('CDELETED');
    await sendEvent(bot.url, signingSecret, {
      type: 'member_left_channel',
      user: 'USOMEONE',
      channel: 'CLEFT1',
      channel_type: 'C',
      team: 'T0STANDIN1',
    });
    // A second event after it: once it has been handled, the first one had every chance to be.
    await sendEvent(bot.url, signingSecret, { type: 'channel_deleted', channel: 'CDELETED' });
    await waitFor(async () => !(await subscribed()).some((row) => row.startsWith('CDELETED')), {
      what: 'the deleted channel’s subscriptions to end',
    });
    expect(await subscribed()).toEqual(['CLEFT1:digest', 'CLEFT1:hope']);

    await sendEvent(bot.url, signingSecret, {
      type: 'member_left_channel',
      user: standIn.botUserId,
      channel: 'CLEFT1',
      channel_type: 'C',
      team: 'T0STANDIN1',
    });
    await waitFor(async () => (await subscribed()).length === 0, { what: 'CLEFT1’s subscriptions to end' });
  });

  it('ends every Slack subscription and gives up what was owed to Slack when the app is uninstalled', async () => {
    await subscribeBoth('CAPP1');
    await deliveryStore(db.database.prisma).subscribe(
      { platform: 'teams', channelId: '19:teams-channel@thread.tacv2' },
      'someone',
    );
    await queue([{ ...announcement('CAPP2'), key: 'owed-to-slack' }]);
    // No worker may send it before the uninstall arrives.
    await db.database.prisma.notice.updateMany({
      where: { key: 'owed-to-slack' },
      data: { notBefore: new Date(Date.now() + 60 * 60_000) },
    });

    expect((await sendEvent(bot.url, signingSecret, { type: 'app_uninstalled' })).status).toBe(200);
    await waitFor(async () => (await subscribed()).every((row) => !row.startsWith('CAPP1')), {
      what: 'the Slack subscriptions to end',
    });
    expect(await subscribed()).toEqual(['19:teams-channel@thread.tacv2:digest']);
    await waitFor(
      async () =>
        (await db.database.prisma.notice.findUnique({ where: { key: 'owed-to-slack' } }))?.status === 'undeliverable',
      { what: 'the owed notice to be given up' },
    );
    expect(await undeliveredAs(cco)).toContain('the app was removed from Slack');
  });
});
