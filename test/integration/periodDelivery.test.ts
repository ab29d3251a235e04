// The monthly, quarterly and yearly digests reach each channel subscribed to them exactly
// once, on the first Monday after the period ends, however many bot processes run the
// schedule and however often it runs; the weekly channels still get their week.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { ChannelPurpose } from '../../src/domain/delivery.js';
import { createServices } from '../../src/services.js';
import { digestClient, slackDigestPoster } from '../../src/slack/digestPoster.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

let test: TestDatabase;
let standIn: SlackStandIn;
const opened: Database[] = [];
const subscribed: Array<[string, ChannelPurpose]> = [
  ['C0WEEK', 'digest'],
  ['C0MONTH', 'monthlyDigest'],
  ['C0QUARTER', 'quarterlyDigest'],
  ['C0YEAR', 'yearlyDigest'],
];

function env() {
  return {
    DATABASE_URL: test.url,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_API_URL: standIn.apiUrl,
    ORG_TIMEZONE: 'Europe/Paris',
    ORG_CURRENCY: 'EUR',
  };
}

/** A bot process of its own: its own connection pool, worker id and Slack client, at a given moment. */
async function botProcess(now: Date) {
  const database = await openDatabase({ databaseUrl: test.url, pgliteDir: 'unused' });
  opened.push(database);
  const services = createServices(database.prisma, loadConfig(env()), { log: () => {}, clock: () => now });
  services.addPoster(slackDigestPoster(digestClient('xoxb-test', { slackApiUrl: standIn.apiUrl })));
  return services;
}

/** The digest posts in a channel (not thread replies), by the period their metadata names. */
function postedPeriods(channel: string): string[] {
  return standIn
    .messages(channel)
    .filter((message) => message.metadata?.event_type === 'customer_asset_digest' && !message.thread_ts)
    .map((message) => (message.metadata!.event_payload as { period: string }).period);
}

// Monday 5 October 2026, 08:00 in Paris: the first Monday after September and the third quarter ended.
const firstMondayOfOctober = new Date('2026-10-05T06:00:00Z');

beforeAll(async () => {
  test = await freshDatabase();
  standIn = await startSlackStandIn();
});
afterAll(async () => {
  await Promise.all(opened.map((database) => database.close()));
  standIn?.close();
  await test?.drop();
});

beforeEach(async () => {
  standIn.reset();
  const prisma = test.database.prisma;
  await prisma.digestDelivery.deleteMany();
  await prisma.channelSubscription.deleteMany();
  for (const [channelId, purpose] of subscribed)
    await deliveryStore(prisma).subscribe({ platform: 'slack', channelId }, 'UCCO1', purpose);
  // Subscribed before the runs these tests make, which happen on the test's own calendar.
  await prisma.channelSubscription.updateMany({ data: { subscribedAt: new Date('2026-09-01T00:00:00Z') } });
  const services = await botProcess(firstMondayOfOctober);
  await services.recordCustomerEvents([
    {
      external_id: 'sep-won',
      customer_id: 'c-sep',
      customer_name: 'Acme',
      segment: 'Retail',
      kind: 'won',
      value: 1200,
      occurred_at: '2026-09-10T10:00:00Z',
    },
    {
      external_id: 'aug-won',
      customer_id: 'c-aug',
      customer_name: 'Beta',
      segment: 'Retail',
      kind: 'won',
      value: 800,
      occurred_at: '2026-08-10T10:00:00Z',
    },
  ]);
});

describe('monthly and quarterly digests, exactly once', () => {
  it('posts September and the third quarter once each when two processes run the Monday schedule together, and again posts nothing', async () => {
    const [first, second] = [await botProcess(firstMondayOfOctober), await botProcess(firstMondayOfOctober)];
    const reports = (
      await Promise.all([first.deliverDueDigests(firstMondayOfOctober), second.deliverDueDigests(firstMondayOfOctober)])
    ).flat();

    expect(postedPeriods('C0WEEK')).toEqual(['2026-09-28']);
    expect(postedPeriods('C0MONTH')).toEqual(['2026-09']);
    expect(postedPeriods('C0QUARTER')).toEqual(['2026-Q3']);
    // 2025 went out on the first Monday of January, not now.
    expect(postedPeriods('C0YEAR')).toEqual([]);
    expect(reports.flatMap((report) => report.posted)).toHaveLength(3);

    // The story is the month's, against August and September a year before, in whole customers.
    const month = standIn.messages('C0MONTH')[0]!;
    expect(JSON.stringify(month.blocks)).toContain('Customer asset digest · September 2026');
    expect(JSON.stringify(month.blocks)).toContain('*Customers won*\\n*1* · €1,200\\n_last month 1 · a year ago 0_');

    // A second run that morning (a restart, another cron) finds everything posted.
    const again = await (await botProcess(firstMondayOfOctober)).deliverDueDigests(firstMondayOfOctober);
    expect(again.flatMap((report) => report.posted)).toEqual([]);
    expect(again.flatMap((report) => report.alreadyPosted)).toHaveLength(3);
    for (const [channel] of subscribed) expect(postedPeriods(channel).length).toBeLessThanOrEqual(1);
  });

  it('sends the month only on its first Monday: the Monday after, the weekly channel alone hears from the bot', async () => {
    const nextMonday = new Date('2026-10-12T06:00:00Z');
    const reports = await (await botProcess(nextMonday)).deliverDueDigests(nextMonday);
    expect(reports.map((report) => report.period.name)).toEqual(['2026-10-05']);
    expect(postedPeriods('C0WEEK')).toEqual(['2026-10-05']);
    expect(postedPeriods('C0MONTH')).toEqual([]);
    expect(postedPeriods('C0QUARTER')).toEqual([]);
  });

  it('finishes a quarter a crashed run left half done, once, and the command line then finds it posted', async () => {
    // Ten minutes into the run another process looks: the dead run's lease has run out.
    const services = await botProcess(new Date('2026-10-05T06:10:00Z'));
    const quarter = services.periodJustEnded('quarter');
    // A run that died after claiming: the claim's lease has run out, nothing was posted.
    await test.database.prisma.digestDelivery.create({
      data: {
        periodStart: new Date(`${quarter.start}T00:00:00Z`),
        periodKind: 'quarter',
        platform: 'slack',
        channelId: 'C0QUARTER',
        status: 'claimed',
        claimedBy: 'gone',
        claimedAt: new Date('2026-10-05T06:00:00Z'),
        leaseUntil: new Date('2026-10-05T06:05:00Z'),
      },
    });
    const resumed = await services.resumeDigests();
    expect(resumed.map((report) => [report.period.name, report.posted.length])).toEqual([['2026-Q3', 1]]);
    expect(postedPeriods('C0QUARTER')).toEqual(['2026-Q3']);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/sendDigest.ts', '--period', '2026-Q3'],
      { env: { ...process.env, ...env() } },
    );
    expect(stdout).toMatch(/^quarter 2026-Q3: posted to 0, already posted in 1,/);
    expect(postedPeriods('C0QUARTER')).toEqual(['2026-Q3']);
  });

  it('refuses a period the command line cannot read, posting nothing', async () => {
    const failed = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/sendDigest.ts', '--period', '2026-Q5'],
      { env: { ...process.env, ...env() } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"2026-Q5" is not one. Nothing was posted.'),
    });
    for (const [channel] of subscribed) expect(postedPeriods(channel)).toEqual([]);
  });
});
