// The Monday digest in Teams: one post per (week, conversation) even when several bot
// processes run the schedule at once, through botbuilder's real ConnectorClient against
// a local connector stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { teamsConversationStore } from '../../src/store/teamsConversationStore.js';
import { createTeamsAdapter } from '../../src/teams/adapter.js';
import { conversationFromReference } from '../../src/teams/conversations.js';
import { teamsDigestPoster } from '../../src/teams/digestPoster.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connectorStandIn.js';
import { botId, tenantId } from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const conversations = [
  { id: '19:leaders@thread.tacv2', conversationType: 'channel' },
  { id: '19:board-chat@thread.v2', conversationType: 'groupChat' },
  { id: 'a:1personal-cco', conversationType: 'personal' },
] as const;

let test: TestDatabase;
let connector: ConnectorStandIn;
const opened: Database[] = [];
const logs: Array<{ message: string; context?: Record<string, unknown> }> = [];

/** A bot process of its own: its own connection pool, worker id, adapter and connector clients. */
async function botProcess(options: { clock?: () => Date } = {}) {
  const database = await openDatabase({ databaseUrl: test.url, pgliteDir: 'unused' });
  opened.push(database);
  const log = (message: string, context?: Record<string, unknown>) => void logs.push({ message, context });
  const config = loadConfig({ DATABASE_URL: test.url, TEAMS_EMULATOR: 'true', ORG_TIMEZONE: 'UTC' });
  const services = createServices(database.prisma, config, { log, ...options });
  services.addPoster(
    teamsDigestPoster(createTeamsAdapter(config, log), '', teamsConversationStore(database.prisma), log),
  );
  return services;
}

beforeAll(async () => {
  test = await freshDatabase();
  connector = await startConnectorStandIn();
});
afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
  await connector?.close();
  await test?.drop();
});

beforeEach(async () => {
  connector.reset();
  logs.length = 0;
  const prisma = test.database.prisma;
  await prisma.digestDelivery.deleteMany();
  await prisma.channelSubscription.deleteMany();
  await prisma.teamsConversation.deleteMany();
  const store = teamsConversationStore(prisma);
  const services = await botProcess();
  for (const conversation of conversations) {
    await store.remember(
      conversationFromReference({
        channelId: 'msteams',
        serviceUrl: connector.serviceUrl,
        bot: { id: botId, name: 'Customer Growth' },
        user: { id: '29:cco', name: 'Chris' },
        conversation: { ...conversation, tenantId, isGroup: conversation.conversationType !== 'personal', name: '' },
      }),
    );
    await deliveryStore(test.database.prisma).subscribe({ platform: 'teams', channelId: conversation.id }, 'aad-cco');
  }
  await services.recordCustomerEvents([
    {
      external_id: 'won-1',
      customer_id: 'c1',
      customer_name: 'Acme',
      segment: 'Retail',
      kind: 'won',
      value: 1200,
      occurred_at: `${services.lastWeek()}T10:00:00Z`,
    },
  ]);
});

const posts = (conversationId: string) => connector.activities(conversationId);

describe('exactly-once Monday digest in Teams', () => {
  it('posts one card per conversation when two processes run the schedule at the same moment', async () => {
    const [first, second] = await Promise.all([botProcess(), botProcess()]);
    const week = first!.lastWeek();
    const reports = await Promise.all([first!.deliverDigest(week), second!.deliverDigest(week)]);

    expect(reports.flatMap((report) => report.posted)).toHaveLength(conversations.length);
    for (const { id } of conversations) {
      expect(posts(id)).toHaveLength(1);
      const [attachment] = posts(id)[0]!.activity.attachments as Array<{ content: unknown }>;
      expect(adaptiveCardProblems(attachment!.content)).toEqual([]);
      expect(JSON.stringify(attachment!.content)).toContain('Did we earn the right to customer growth?');
    }
    const deliveries = await test.database.prisma.digestDelivery.findMany({ where: { platform: 'teams' } });
    expect(deliveries.map((delivery) => [delivery.channelId, delivery.status, delivery.messageId]).sort()).toEqual(
      conversations.map(({ id }) => [id, 'posted', posts(id)[0]!.id]).sort(),
    );
    expect(connector.calls.filter((call) => call.operation === 'send' || call.operation === 'reply')).toHaveLength(
      conversations.length,
    );
  });

  it('running the schedule again the same week posts nothing more', async () => {
    const services = await botProcess();
    const week = services.lastWeek();
    await services.deliverDigest(week);
    const again = await services.deliverDigest(week);
    expect(again.posted).toEqual([]);
    expect(again.alreadyPosted).toHaveLength(conversations.length);
    for (const { id } of conversations) expect(posts(id)).toHaveLength(1);
  });

  it('waits out the connector’s rate limit (429, Retry-After) and still posts each digest once', async () => {
    const services = await botProcess();
    connector.failNext(1, 1);
    const report = await services.deliverDigest(services.lastWeek());
    expect(report.posted).toHaveLength(conversations.length);
    for (const { id } of conversations) expect(posts(id)).toHaveLength(1);
    const attempts = connector.calls.filter((call) => call.operation === 'send' || call.operation === 'reply');
    expect(attempts.map((call) => call.status)).toEqual([
      429,
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
    ]);
    // Conversations are posted to side by side; the refused one is tried again only after its Retry-After.
    const retried = attempts.slice(1).find((call) => call.conversationId === attempts[0]!.conversationId)!;
    expect(retried.at - attempts[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('does not replay a post the connector may have taken; the next run posts again, and says why', async () => {
    const services = await botProcess();
    const week = services.lastWeek();
    connector.applyThenFail(1);
    const first = await services.deliverDigest(week);
    expect(first.failed).toHaveLength(1);
    const [failed] = first.failed;
    // botbuilder on its own would have sent the same activity three more times.
    expect(posts(failed!.channelId)).toHaveLength(1);
    expect(connector.calls.filter((call) => call.conversationId === failed!.channelId)).toHaveLength(1);

    // The connector cannot be asked whether that post landed, so the retry posts: at least once, never silently none.
    const resumed = await services.resumeDigest(week);
    expect(resumed?.posted).toEqual([{ platform: 'teams', channelId: failed!.channelId }]);
    expect(posts(failed!.channelId)).toHaveLength(2);
    expect(logs.map((entry) => entry.message)).toContain(
      'teams digest: posting again after an interrupted run; Teams cannot tell whether the first post landed',
    );
    for (const { id } of conversations.filter(({ id }) => id !== failed!.channelId)) expect(posts(id)).toHaveLength(1);
  });

  it('reports a conversation it has no reference for, rather than posting somewhere else', async () => {
    await test.database.prisma.teamsConversation.delete({ where: { conversationId: conversations[1].id } });
    const services = await botProcess();
    const report = await services.deliverDigest(services.lastWeek());
    expect(report.failed).toEqual([
      expect.objectContaining({
        channelId: conversations[1].id,
        error: expect.stringContaining('add the bot to the conversation again'),
      }),
    ]);
    expect(posts(conversations[1].id)).toHaveLength(0);
    expect(report.posted).toHaveLength(2);
  });

  it('gives up on a conversation whose post the connector never answers, after delivering to the others', async () => {
    const services = await botProcess();
    const held = conversations[0].id;
    let release: (() => void) | undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // The connector takes the post for `held` and never answers until the test ends.
    connector.onActivity((posted) => (posted.conversationId === held ? released : undefined));
    try {
      let finished = false;
      const run = services.deliverDigest(services.lastWeek()).then((report) => {
        finished = true;
        return report;
      });
      await expect
        .poll(() => conversations.slice(1).every(({ id }) => posts(id).length === 1), { timeout: 60_000 })
        .toBe(true);
      expect(finished).toBe(false);

      // Only the connector call's own timeout ends the wait.
      const report = await run;
      expect(report.posted.map((channel) => channel.channelId)).toEqual(conversations.slice(1).map(({ id }) => id));
      expect(report.failed.map((channel) => channel.channelId)).toEqual([held]);
      // It may have landed (here it did), so the claim is expired for the next run rather than dropped.
      expect(await test.database.prisma.digestDelivery.findFirst({ where: { channelId: held } })).toMatchObject({
        status: 'claimed',
        leaseUntil: new Date(0),
      });
    } finally {
      release!();
      connector.onActivity(undefined);
    }
  }, 120_000);
});
