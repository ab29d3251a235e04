// Teams end to end: the real bot (database, HTTP server, botbuilder's CloudAdapter in
// emulator-mode authentication) receives activities over HTTP exactly as Teams sends
// them, and answers through a local Bot Framework connector stand-in. Each test checks
// what a person in Teams would see, or what the bot remembered.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { startConnectorStandIn, type ConnectorStandIn, type PostedActivity } from '../support/connectorStandIn.js';
import {
  installActivity,
  messageActivity,
  postActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const question = 'Did we earn the right to customer growth?';
const cco: TeamsUser = { id: '29:cco', aadObjectId: 'aad-cco-0001', name: 'Chris CCO' };
const staff: TeamsUser = { id: '29:staff', aadObjectId: 'aad-staff-0001', name: 'Sam Staff' };
const leadership: TeamsConversationShape = { id: '19:leadership@thread.tacv2', conversationType: 'channel' };

let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    TEAMS_EMULATOR: 'true',
    BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId,
    ORG_TIMEZONE: 'UTC',
    ORG_CURRENCY: 'EUR',
  });
  bot = await startBot(config, { log: () => {} });
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
  expect(seeded.stored).toBe(4);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

/** Sends `words` to the bot and returns what it posted in answer. */
async function say(from: TeamsUser, conversation: TeamsConversationShape, words: string): Promise<PostedActivity[]> {
  const before = connector.activities(conversation.id).length;
  const sent = await postActivity(bot.url, messageActivity(connector.serviceUrl, conversation, from, words));
  expect(sent.status).toBe(200);
  return connector.activities(conversation.id).slice(before);
}

/** The digest is composed after the turn has answered with a placeholder, which it then replaces. */
async function digestFor(answers: PostedActivity[]): Promise<PostedActivity[]> {
  expect(answers).toHaveLength(1);
  expect(JSON.stringify(answers[0]!.activity)).toContain('Putting last week’s digest together…');
  await vi.waitFor(
    () =>
      expect(connector.calls.some((call) => call.operation === 'update' && call.activityId === answers[0]!.id)).toBe(
        true,
      ),
    { timeout: 30_000, interval: 50 },
  );
  return answers;
}

interface CardJson {
  body: Array<{ type: string; text?: string; items?: unknown[] }>;
}

function onlyCard(answers: PostedActivity[]): CardJson {
  expect(answers).toHaveLength(1);
  const attachments = answers[0]!.activity.attachments as Array<{ contentType: string; content: CardJson }>;
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(adaptiveCardProblems(attachments[0]!.content)).toEqual([]);
  return attachments[0]!.content;
}

describe('Teams, end to end', () => {
  it('remembers a channel when the bot is installed, and says hello there', async () => {
    const sent = await postActivity(bot.url, installActivity(connector.serviceUrl, leadership, cco));
    expect(sent.status).toBe(200);

    const stored = await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: leadership.id } });
    expect(stored).toMatchObject({ kind: 'channel', tenantId: 'tenant-0001', serviceUrl: connector.serviceUrl });
    expect(stored!.reference).toMatchObject({
      channelId: 'msteams',
      conversation: { id: leadership.id },
      bot: { id: '28:customer-growth-bot' },
    });

    const hello = onlyCard(connector.activities(leadership.id));
    expect(JSON.stringify(hello)).toContain('Type **help** to see what I can do.');
    // Emulator mode: no credentials, so nothing is signed.
    expect(connector.calls.every((call) => call.headers.authorization === undefined)).toBe(true);
  });

  it('answers digest preview with last week’s digest as an Adaptive Card, in the thread it was asked in', async () => {
    const thread = { ...leadership, id: `${leadership.id};messageid=1700000000001` };
    const card = onlyCard(await digestFor(await say(staff, thread, 'digest preview')));
    // The channel is what the bot remembers, not the thread.
    expect(await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: thread.id } })).toBeNull();
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: question });
    const shown = JSON.stringify(card);
    expect(shown).toContain('Yes: we gained 2 customers more than we lost and customer value grew by €2,100.');
    expect(shown).toContain('**3** · €2,500');
    expect(shown).toContain('won 2 (€2,000)'); // Retail
    expect(shown).toContain('Price (1)');
  });

  it('tells staff in plain words that only the CCO or a leader can subscribe, and subscribes nothing', async () => {
    const card = onlyCard(await say(staff, leadership, 'digest subscribe'));
    expect(JSON.stringify(card)).toContain(
      'Only the CCO or a leader can subscribe or unsubscribe a channel to the Monday digest. You are staff here; ask your CCO if that should change.',
    );
    expect(await bot.services.digestSubscriptions()).toEqual([]);
  });

  it('previews a named quarter, refuses text that is no period, and subscribes to the quarterly story', async () => {
    const answers = await say(staff, leadership, 'digest preview 2026-Q3');
    expect(answers).toHaveLength(1);
    expect(JSON.stringify(answers[0]!.activity)).toMatch(/Putting the digest of Q3 2026 \(Jul.*together…/);
    await vi.waitFor(
      () =>
        expect(connector.calls.some((call) => call.operation === 'update' && call.activityId === answers[0]!.id)).toBe(
          true,
        ),
      { timeout: 30_000, interval: 50 },
    );
    const update = connector.calls.find((call) => call.operation === 'update' && call.activityId === answers[0]!.id)!;
    const shown = JSON.stringify(update.body);
    expect(shown).toContain('Customer asset digest · Q3 2026');
    expect(shown).toContain('last quarter 0 · a year ago 0');

    expect(JSON.stringify(onlyCard(await say(staff, leadership, 'digest preview fortnight')))).toContain(
      '“fortnight” is not a period I know.',
    );
    expect(JSON.stringify(onlyCard(await say(cco, leadership, 'digest subscribe fortnightly')))).toContain(
      'Nothing was changed.',
    );
    expect(JSON.stringify(onlyCard(await say(cco, leadership, 'digest subscribe quarterly')))).toContain(
      'This conversation will get the quarterly customer asset digest on the first Monday after each quarter ends, at 08:00 (UTC).',
    );
    expect(await bot.services.digestSubscriptions('quarterlyDigest')).toEqual([
      expect.objectContaining({ platform: 'teams', channelId: leadership.id, purpose: 'quarterlyDigest' }),
    ]);
    expect(JSON.stringify(onlyCard(await say(cco, leadership, 'digest unsubscribe quarterly')))).toContain(
      'This conversation will no longer get the quarterly digest.',
    );
    // The weekly subscription the next test makes starts from none.
    expect(await bot.services.digestSubscriptions()).toEqual([]);
  });

  it('lets the CCO subscribe the channel once', async () => {
    const card = onlyCard(await say(cco, leadership, 'digest subscribe'));
    expect(JSON.stringify(card)).toContain(
      'This conversation will get the customer asset digest every Monday at 08:00 (UTC).',
    );
    expect(await bot.services.digestSubscriptions()).toEqual([
      expect.objectContaining({ platform: 'teams', channelId: leadership.id, subscribedBy: cco.aadObjectId }),
    ]);

    expect(JSON.stringify(onlyCard(await say(cco, leadership, 'digest subscribe')))).toContain(
      'This conversation already gets the digest',
    );
    expect(await bot.services.digestSubscriptions()).toHaveLength(1);
  });

  it('explains what it can do on help, or when a command is misspelt', async () => {
    const help = JSON.stringify(
      onlyCard(await say(staff, { id: 'a:personal-staff', conversationType: 'personal' }, 'help')),
    );
    for (const usage of ['digest preview', 'digest subscribe', 'digest unsubscribe', 'digest now'])
      expect(help).toContain(`**${usage}**`);

    const unknown = JSON.stringify(onlyCard(await say(staff, leadership, 'frobnicate [x](https://evil.example)')));
    expect(unknown).toContain("I don't know “frobnicate”.");
    const misspelt = JSON.stringify(onlyCard(await say(staff, leadership, 'digest frobnicate')));
    expect(misspelt).toContain("I don't know “digest frobnicate”.");
  });

  it('posts the Monday digest to the subscribed channel as one card', async () => {
    const week = bot.services.lastWeek();
    const before = connector.activities(leadership.id).length;
    const report = await bot.services.deliverDigest(week);
    expect(report.posted).toEqual([{ platform: 'teams', channelId: leadership.id }]);

    const posts = connector.activities(leadership.id).slice(before);
    const card = onlyCard(posts);
    expect(card.body[0]).toMatchObject({ text: question });
    // A new post in the channel, not a reply in someone's thread.
    expect(posts[0]!.conversationId).toBe(leadership.id);
    const delivery = await db.database.prisma.digestDelivery.findFirst({
      where: { platform: 'teams', channelId: leadership.id },
    });
    expect(delivery).toMatchObject({ status: 'posted', messageId: posts[0]!.id });
  });

  it('never lets customer-provided words become a link or a mention on the card', async () => {
    const week = bot.services.lastWeek();
    const seeded = await bot.services.recordCustomerEvents([
      {
        external_id: 'ev-hostile',
        customer_id: 'c-hostile',
        customer_name: 'Mallory Ltd',
        segment: '<at>channel</at> Retail',
        kind: 'lost',
        value: 300,
        occurred_at: `${week}T09:00:00Z`,
        reason: '[Reset your password](https://evil.example)',
      },
    ]);
    expect(seeded.stored).toBe(1);

    const shown = JSON.stringify(onlyCard(await digestFor(await say(staff, leadership, 'digest preview'))));
    expect(shown).not.toMatch(/(^|[^\\])<at>/);
    expect(shown).not.toMatch(/(^|[^\\])\[Reset your password(\\\\)?\]\(/);
    expect(shown).toContain('\\\\<at\\\\>channel\\\\</at\\\\> Retail');
    expect(shown).toContain('\\\\[Reset your password\\\\]\\\\(https://evil.example\\\\)');
  });

  it('forgets a conversation and its subscription when the bot is removed', async () => {
    const removed = await postActivity(bot.url, installActivity(connector.serviceUrl, leadership, cco, 'remove'));
    expect(removed.status).toBe(200);
    expect(
      await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: leadership.id } }),
    ).toBeNull();
    expect(await bot.services.digestSubscriptions()).toEqual([]);
  });
});
