// Teams serves only its own organisation: with TEAMS_TENANT_IDS set, activities from any other
// Microsoft 365 tenant (or naming none) are dropped before the bot stores or sends anything,
// and direct messages are opened in the configured tenant. Real HTTP activities to the
// running bot (emulator-mode authentication), a connector stand-in and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connectorStandIn.js';
import {
  botAddedActivity,
  inTenant,
  installActivity,
  messageActivity,
  postActivity,
  submitActivity,
  tenantId,
  withoutTenant,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { outboxSettled } from '../support/outbox.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const hostileTenant = 'e0e0e0e0-0000-4000-8000-00000000bad0';
const intruder: TeamsUser = {
  id: '29:intruder',
  aadObjectId: 'a0000000-0000-4000-8000-0000000bad01',
  name: 'Ivy Intruder',
};
const owner: TeamsUser = { id: '29:owner', aadObjectId: 'a0000000-0000-4000-8000-00000000cc01', name: 'Olive Owner' };
const dana: TeamsUser = { id: '29:dana', aadObjectId: 'a0000000-0000-4000-8000-00000000da01', name: 'Dana Lee' };
const theirChannel: TeamsConversationShape = { id: '19:their-general@thread.tacv2', conversationType: 'channel' };
const theirChat: TeamsConversationShape = { id: 'a:personal-intruder', conversationType: 'personal' };
const ourChannel: TeamsConversationShape = { id: '19:our-leadership@thread.tacv2', conversationType: 'channel' };

let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;
const logLines: Array<{ message: string; context?: Record<string, unknown> }> = [];

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  connector.addMember({ id: dana.id, aadObjectId: dana.aadObjectId!, name: dana.name, email: 'dana@example.com' });
  // No bootstrap CCO: a `cco claim` that got through would make the intruder the CCO.
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    TEAMS_EMULATOR: 'true',
    TEAMS_TENANT_IDS: ` ${tenantId.toUpperCase()} `,
    ORG_TIMEZONE: 'UTC',
  });
  bot = await startBot(config, {
    log: (message, context) => void logLines.push({ message, ...(context ? { context } : {}) }),
  });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

const refusals = () =>
  logLines.filter((line) => line.message.startsWith('teams activity from a tenant this bot does not serve'));

async function nothingStoredOrSent() {
  const prisma = db.database.prisma;
  expect(await prisma.teamsConversation.count()).toBe(0);
  expect(await prisma.feedback.count()).toBe(0);
  expect(await prisma.role.count()).toBe(0);
  expect(await bot.services.digestSubscriptions()).toEqual([]);
  expect(connector.calls).toEqual([]);
}

describe('Teams from another organisation', () => {
  it('drops installs, feedback, cco claim and digest subscribe from another tenant: 200 with no body, nothing stored, nothing sent', async () => {
    const activities = [
      installActivity(connector.serviceUrl, theirChannel, intruder),
      botAddedActivity(connector.serviceUrl, theirChannel, intruder),
      installActivity(connector.serviceUrl, theirChat, intruder),
      messageActivity(connector.serviceUrl, theirChat, intruder, 'cco claim'),
      messageActivity(connector.serviceUrl, theirChat, intruder, 'feedback Your prices leaked to us'),
      submitActivity(connector.serviceUrl, theirChat, intruder, {
        action: 'feedback_log',
        verbatim: 'And through the form',
      }),
      messageActivity(connector.serviceUrl, theirChannel, intruder, 'digest subscribe'),
      messageActivity(connector.serviceUrl, theirChannel, intruder, 'digest preview'),
    ];
    for (const activity of activities) {
      const answer = await postActivity(bot.url, inTenant(activity, hostileTenant));
      expect(answer).toEqual({ status: 200, body: '' });
    }
    await nothingStoredOrSent();
    // Logged once, with the tenant, however many activities it sent.
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]!.context).toMatchObject({ tenantIds: [hostileTenant] });
  });

  it('drops an activity naming no tenant, or our tenant in one place and another in the other', async () => {
    const claim = messageActivity(connector.serviceUrl, theirChat, intruder, 'cco claim');
    expect(await postActivity(bot.url, withoutTenant(claim))).toEqual({ status: 200, body: '' });
    expect(await postActivity(bot.url, inTenant(claim, hostileTenant, 'conversation'))).toEqual({
      status: 200,
      body: '',
    });
    expect(
      await postActivity(bot.url, withoutTenant(installActivity(connector.serviceUrl, theirChannel, intruder))),
    ).toEqual({ status: 200, body: '' });
    await nothingStoredOrSent();
    expect(refusals().map((line) => line.context?.tenantIds)).toEqual([
      [hostileTenant],
      null,
      [tenantId, hostileTenant],
    ]);
  });
});

describe('Teams in our own organisation', () => {
  it('still installs, answers, lets the first person claim CCO and stores feedback', async () => {
    expect((await postActivity(bot.url, installActivity(connector.serviceUrl, ourChannel, owner))).status).toBe(200);
    expect(
      await db.database.prisma.teamsConversation.findUnique({ where: { conversationId: ourChannel.id } }),
    ).toMatchObject({ tenantId });
    expect(connector.activities(ourChannel.id)).toHaveLength(1);

    await postActivity(bot.url, messageActivity(connector.serviceUrl, ourChannel, owner, 'cco claim'));
    expect(await db.database.prisma.role.findMany()).toEqual([
      expect.objectContaining({ userId: owner.aadObjectId, role: 'cco' }),
    ]);
    expect(JSON.stringify(connector.activities(ourChannel.id).at(-1)!.activity)).toContain('You are the CCO');
  });

  it('opens a direct message in the configured tenant, not in the tenant of the latest conversation it has stored', async () => {
    const vocabulary = await bot.services.language.vocabulary();
    const [stage, category] = [vocabulary.stages[0]!, vocabulary.categories[0]!];
    await postActivity(
      bot.url,
      submitActivity(connector.serviceUrl, ourChannel, dana, {
        action: 'feedback_log',
        verbatim: 'The invoice was in the wrong currency',
        stage: stage.id,
        category: category.id,
      }),
    );
    // Filed under an issue once sorted, after the turn.
    const filed = await vi.waitFor(
      async () => {
        const { issue } = await db.database.prisma.feedback.findFirstOrThrow({
          where: { reporterId: dana.aadObjectId },
          include: { issue: true },
        });
        if (!issue) throw new Error('not filed yet');
        return issue;
      },
      { timeout: 30_000, interval: 100 },
    );
    // A conversation stored before tenants were checked, seen more recently than any of ours.
    await db.database.prisma.teamsConversation.create({
      data: {
        conversationId: '19:stale@thread.tacv2',
        kind: 'channel',
        tenantId: hostileTenant,
        serviceUrl: connector.serviceUrl,
        reference: { bot: { id: '28:customer-growth-bot' }, conversation: { id: '19:stale@thread.tacv2' } },
        updatedAt: new Date(Date.now() + 3_600_000),
      },
    });

    await postActivity(
      bot.url,
      submitActivity(connector.serviceUrl, ourChannel, owner, {
        action: 'issue_resolve',
        issue: String(filed.number),
        what_changed: 'Invoices now use the customer’s currency',
      }),
    );
    await outboxSettled(bot.services, db.database.prisma);
    const opened = connector.calls.filter((call) => call.operation === 'create');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body).toMatchObject({
      tenantId,
      channelData: { tenant: { id: tenantId } },
      members: [{ id: dana.aadObjectId }],
    });
    expect(await db.database.prisma.notice.findFirstOrThrow({ where: { target: dana.aadObjectId } })).toMatchObject({
      status: 'sent',
    });
  });
});

describe('Teams conversations stored before tenants were checked', () => {
  it('posts no digest to a conversation of another tenant, even one subscribed', async () => {
    const stale = '19:stale@thread.tacv2';
    await deliveryStore(db.database.prisma).subscribe({ platform: 'teams', channelId: stale }, owner.aadObjectId!);
    await deliveryStore(db.database.prisma).subscribe(
      { platform: 'teams', channelId: ourChannel.id },
      owner.aadObjectId!,
    );
    const report = await bot.services.deliverDigest(bot.services.lastWeek());
    expect(report.posted).toEqual([{ platform: 'teams', channelId: ourChannel.id }]);
    expect(report.failed).toEqual([
      expect.objectContaining({ channelId: stale, error: expect.stringContaining('No Teams conversation reference') }),
    ]);
    expect(connector.activities(stale)).toEqual([]);
  });
});

describe('Teams tenant settings', () => {
  const database = { DATABASE_URL: 'postgresql://localhost/x' };
  it('refuses to start a multi-tenant registration that names no tenant to serve', () => {
    const registration = { ...database, MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p' };
    expect(() => loadConfig(registration)).toThrow(/TEAMS_TENANT_IDS: is needed with a MultiTenant registration/);
    expect(loadConfig({ ...registration, TEAMS_TENANT_IDS: `${tenantId}, other-tenant` }).TEAMS_TENANT_IDS).toEqual([
      tenantId,
      'other-tenant',
    ]);
    expect(() => loadConfig({ ...registration, MICROSOFT_APP_TENANT_ID: tenantId })).not.toThrow();
  });
});
