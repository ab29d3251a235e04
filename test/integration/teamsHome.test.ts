// Teams' `home`: the customer room as a card in a personal chat, its chart fetched by Teams
// from a private, expiring link the bot signs, and the same chart in the digest card.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { renderMovementChart } from '../../src/render/movementChart.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { startConnectorStandIn, type ConnectorStandIn, type PostedActivity } from '../support/connectorStandIn.js';
import {
  messageActivity,
  postActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const leader: TeamsUser = { id: '29:lee', aadObjectId: 'aad-lee-0001', name: 'Lee Leader' };
const personal: TeamsConversationShape = { id: 'a:personal-lee', conversationType: 'personal' };
const channel: TeamsConversationShape = { id: '19:room@thread.tacv2', conversationType: 'channel' };

let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TEAMS_EMULATOR: 'true',
      BOOTSTRAP_CCO_TEAMS_IDS: leader.aadObjectId,
      ORG_TIMEZONE: 'UTC',
    }),
    { log: () => {} },
  );
  const week = bot.services.lastWeek();
  const on = (day: number) => new Date(Date.parse(`${week}T12:00:00Z`) + day * 86_400_000).toISOString();
  const seeded = await bot.services.recordCustomerEvents([
    {
      external_id: 'h-1',
      customer_id: 'c-1',
      customer_name: 'Acme',
      segment: 'Retail',
      kind: 'won',
      value: 1200,
      occurred_at: on(0),
    },
    {
      external_id: 'h-2',
      customer_id: 'c-2',
      customer_name: 'Beta',
      segment: 'Retail',
      kind: 'lost',
      value: 800,
      occurred_at: on(2),
    },
    {
      external_id: 'h-3',
      customer_id: 'c-3',
      customer_name: 'Gamma',
      segment: 'Enterprise',
      kind: 'won',
      value: 500,
      occurred_at: on(-9),
    },
  ]);
  expect(seeded.rejected).toEqual([]);
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

async function say(conversation: TeamsConversationShape, words: string): Promise<PostedActivity[]> {
  const before = connector.activities(conversation.id).length;
  const sent = await postActivity(bot.url, messageActivity(connector.serviceUrl, conversation, leader, words));
  expect(sent.status).toBe(200);
  return connector.activities(conversation.id).slice(before);
}

type Element = { type: string; url?: string; altText?: string; items?: Element[]; text?: string };
const cardOf = (activity: PostedActivity) =>
  (activity.activity.attachments as Array<{ content: { body: Element[] } }>)[0]!.content;
const flatten = (elements: Element[]): Element[] =>
  elements.flatMap((element) => [element, ...flatten(element.items ?? [])]);

describe('home in Teams', () => {
  it('shows the customer room in a personal chat, with the chart behind a signed link that opens only that chart', async () => {
    const [answer] = await say(personal, 'home');
    const card = cardOf(answer!);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('The customer room');
    expect(text).toContain('Did we earn the right to customer growth?');
    expect(text).toContain('Whole company, customers won and lost:');
    const image = flatten(card.body).find((element) => element.type === 'Image')!;
    expect(image.altText).toContain('Customers won and lost, last 13 weeks');
    const url = new URL(image.url!);
    expect(url.pathname).toBe('/charts/movement.png');
    expect(url.searchParams.get('period')).toBe(bot.services.lastWeek());

    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(fetched.headers.get('cache-control')).toBe('no-store');
    const drawn = await renderMovementChart(await bot.services.movementHistoryFor(bot.services.lastWeek()));
    expect(Buffer.compare(Buffer.from(await fetched.arrayBuffer()), Buffer.from(drawn))).toBe(0);

    // The link opens this week's chart only: another period, or no signature, is refused.
    const otherWeek = new URL(url);
    otherWeek.searchParams.set('period', '2026-01-05');
    expect((await fetch(otherWeek)).status).toBe(401);
    expect((await fetch(`${url.origin}${url.pathname}?period=${bot.services.lastWeek()}`)).status).toBe(401);
  });

  it('keeps the room to a personal chat, since it shows one person’s calls', async () => {
    const [answer] = await say(channel, '<at>Customer Growth</at> home');
    expect(JSON.stringify(cardOf(answer!))).toContain('The customer room is personal');
  });

  it('puts the same chart in the digest card', async () => {
    const [placeholder] = await say(personal, 'digest');
    await vi.waitFor(
      () =>
        expect(connector.calls.some((call) => call.operation === 'update' && call.activityId === placeholder!.id)).toBe(
          true,
        ),
      { timeout: 30_000, interval: 50 },
    );
    // Updates are applied in place: the placeholder is now the digest.
    const updated = connector.activities(personal.id).find((activity) => activity.id === placeholder!.id)!;
    const card = cardOf(updated);
    expect(adaptiveCardProblems(card)).toEqual([]);
    const image = flatten(card.body).find((element) => element.type === 'Image');
    expect(new URL(image!.url!).pathname).toBe('/charts/movement.png');
  });
});
