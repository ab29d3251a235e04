// The complete customer asset end to end: events in over the real HTTP API (and a CSV
// import), `/cco lapse` and `/cco tiers` as signed Slack commands, and what the digest then
// says about lapsed customers, tier moves and the projected value of new customers, on a
// fresh PostgreSQL database.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays } from '../../src/domain/weeks.js';
import { digestToSlack } from '../../src/render/digestSlack.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendSlashCommand, waitFor } from '../support/slackRequests.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const signingSecret = 'stand-in-signing-secret-asset';
const token = 'asset-events-token';
const cco = 'UCCOASSET';
const staff = 'USTAFFASSET';

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;
let week: string;
let responses = 0;

/** Noon UTC, `days` after the reported week's Monday (negative: before it). */
const on = (days: number) => `${addDays(week, days)}T12:00:00Z`;

function event(id: string, customer: string, segment: string, kind: string, days: number, extra = {}) {
  return {
    external_id: id,
    customer_id: customer,
    customer_name: `Customer ${customer}`,
    segment,
    kind,
    value: 100,
    occurred_at: on(days),
    ...extra,
  };
}

async function postEvents(rows: unknown[]) {
  const response = await fetch(`${bot.url}/api/customer-events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(rows),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function slashText(userId: string, text: string): Promise<string> {
  const responseId = `asset-${++responses}`;
  const { status } = await sendSlashCommand(bot.url, signingSecret, {
    command: '/cco',
    text,
    userId,
    channelId: 'C0ASSET',
    responseUrl: standIn.responseUrl(responseId),
  });
  expect(status).toBe(200);
  const call = await waitFor(
    () => standIn.callsTo('response_url').find((recorded) => recorded.args.responseId === responseId),
    { what: `the answer to /cco ${text}` },
  );
  return call.args.text as string;
}

/** The digest of the week starting `weekStart` as the Slack post's text, and its customer-asset figures. */
async function digestOf(weekStart: string) {
  const digest = await bot.services.digestFor(weekStart);
  const section = digest.sections.find((part) => part.kind === 'customerAsset');
  if (section?.kind !== 'customerAsset') throw new Error('the digest has no customer asset');
  return { report: section.report, slack: JSON.stringify(digestToSlack(digest)[0]!.blocks) };
}

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      BOOTSTRAP_CCO_SLACK_IDS: cco,
      EVENTS_API_TOKEN: token,
      ORG_TIMEZONE: 'UTC',
      ORG_CURRENCY: 'EUR',
    }),
    { log: () => {} },
  );
  week = bot.services.lastWeek();
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

describe('the complete customer asset', () => {
  it('takes active events and projected values over the API, refusing bad ones row by row', async () => {
    const { status, body } = await postEvents([
      // Silent since 178 days before the week: lapses on its Wednesday (180 days).
      event('life-1', 'quiet', 'Retail', 'won', 2 - 180),
      // As quiet, but they told us they left: lost, never lapsed.
      event('life-2', 'gone', 'Retail', 'won', -400),
      event('life-3', 'gone', 'Retail', 'lost', 3 - 180, { reason: 'Moved away' }),
      // A purchase ten days ago keeps this one alive; a sign of life needs no value.
      event('life-4', 'buyer', 'Retail', 'won', 4 - 180),
      { ...event('life-5', 'buyer', 'Retail', 'active', -10), value: undefined },
      // Wholesale goes quiet after 90 days only once the CCO says so.
      event('life-6', 'trader', 'Wholesale', 'won', 1 - 90),
      // A new customer with what they are expected to be worth.
      event('life-7', 'newco', 'Online', 'won', 1, { value: 1200, projected_value: 5000 }),
      // Bad: a projection on a loss, a negative projection, a sign of life with a bad value.
      event('life-8', 'x1', 'Retail', 'lost', 1, { projected_value: 100 }),
      event('life-9', 'x2', 'Retail', 'won', 1, { projected_value: -5 }),
      event('life-10', 'x3', 'Retail', 'active', 1, { value: 'lots' }),
      // As quiet as the first, but paying a Stripe subscription all along: alive.
      event('life-12', 'cus_paying', 'Retail', 'won', 2 - 180),
    ]);
    expect(status).toBe(200);
    expect(body.stored).toBe(8);
    // What the Stripe connector keeps of the subscription (its webhooks are tested on their own).
    await db.database.prisma.stripeSubscription.create({
      data: {
        id: 'sub_paying',
        stripeCustomerId: 'cus_paying',
        observedAt: new Date(),
        observedRank: 1,
        status: 'active',
        activeFrom: new Date(on(2 - 180)),
        startValue: 1200,
        currentValue: 1200,
      },
    });
    expect(body.rejected).toEqual([
      { row: 8, reason: expect.stringContaining('projected_value is only for won events') },
      { row: 9, reason: expect.stringContaining('projected_value must be zero or more') },
      { row: 10, reason: expect.stringContaining('value must be a number') },
    ]);
  });

  it('counts a silent customer as lapsed once, in the week the window ran out, apart from those who left', async () => {
    const { report, slack } = await digestOf(week);
    expect(report.total.life.lapsed).toBe(1);
    expect(report.total.current.lost.customers).toBe(0);
    expect(report.segments.find((line) => line.segment === 'Retail')?.life.lapsed).toBe(1);
    expect(slack).toContain("*Lapsed*: *1* customer went longer than their segment's window without a sign of life");
    // The week before and the week after do not count them again.
    expect((await digestOf(addDays(week, -7))).report.total.life.lapsed).toBe(0);
    expect((await digestOf(addDays(week, 7))).report.total.life.lapsed).toBe(0);
  });

  it('shows the projected value of new customers beside the value won', async () => {
    const { report, slack } = await digestOf(week);
    expect(report.total.life).toMatchObject({ projectedValue: 5000, customersWithProjection: 1 });
    expect(slack).toContain('*Customers won*\\n*1* · €1,200 · projected €5,000');
  });

  it('lets the CCO shorten a segment’s window with /cco lapse, and no one else', async () => {
    expect(await slashText(staff, 'lapse')).toContain('Every other segment: 180 days.');
    expect(await slashText(staff, 'lapse Wholesale 90 days')).toContain('Only the CCO');
    expect(await slashText(cco, 'lapse Wholesale 90 days')).toBe(
      'Wholesale customers now count as lapsed after 90 days without a sign of life, from the next digest on.',
    );
    expect(await slashText(cco, 'lapse Wholesale soon')).toContain('Nothing was changed');
    expect(await slashText(staff, 'lapse')).toContain('Wholesale: 90 days');
    const { report } = await digestOf(week);
    expect(report.total.life.lapsed).toBe(2);
    expect(report.segments.find((line) => line.segment === 'Wholesale')?.life.lapsed).toBe(1);
  });

  it('a lapsed customer who shows life again is a customer again and lapses only after another silence', async () => {
    const { status } = await postEvents([event('life-11', 'quiet', 'Retail', 'active', 5)]);
    expect(status).toBe(200);
    // Their lapse on Wednesday still happened; the purchase on Saturday starts a new window.
    expect((await digestOf(week)).report.total.life.lapsed).toBe(2);
    const retailLapsed = async (weeksOn: number) =>
      (await digestOf(addDays(week, 7 * weeksOn))).report.segments.find((line) => line.segment === 'Retail')?.life
        .lapsed ?? 0;
    expect(await retailLapsed(25)).toBe(0);
    expect(await retailLapsed(26)).toBe(1);
  });

  it('counts customers who moved up and down a value tier once tiers are named', async () => {
    await postEvents([
      event('tier-1', 'climber', 'Retail', 'won', -30, { value: 500 }),
      event('tier-2', 'climber', 'Retail', 'expanded', 2, { value: 700 }),
      event('tier-3', 'climber', 'Retail', 'expanded', 3, { value: 50 }),
      event('tier-4', 'slider', 'Retail', 'won', -30, { value: 12000 }),
      event('tier-5', 'slider', 'Retail', 'contracted', 3, { value: 3000 }),
      event('tier-6', 'steady', 'Retail', 'won', -30, { value: 2000 }),
      event('tier-7', 'steady', 'Retail', 'expanded', 3, { value: 100 }),
    ]);
    expect((await digestOf(week)).report.tiersNamed).toBe(false);
    expect(await slashText(staff, 'tiers Bronze 0, Silver 1000, Gold 10000')).toContain('Only the CCO');
    expect(await slashText(cco, 'tiers Bronze 0, Silver 1,000, Gold 10000')).toContain(
      'Value tiers are now Bronze from 0, Silver from 1000, Gold from 10000.',
    );
    expect(await slashText(cco, 'tiers Bronze 0, Silver 0')).toContain('Nothing was changed');
    const { report, slack } = await digestOf(week);
    // The new customer won this week is counted as won, not as a tier move.
    expect(report.total.life).toMatchObject({ movedUpTier: 1, movedDownTier: 1 });
    expect(slack).toContain('*Value tiers*: *1* moved up a tier · *1* moved down a tier');
    expect(slack).toContain('up a tier 1 · down a tier 1');
  });

  it('imports active events and projected values from CSV, refusing bad cells line by line', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'asset-csv-'));
    try {
      const file = path.join(folder, 'events.csv');
      await writeFile(
        file,
        [
          'external_id,customer_id,customer_name,segment,kind,value,occurred_at,projected_value',
          `csv-life-1,csv-a,Alpha,Retail,won,300,${on(2)},900`,
          `csv-life-2,csv-b,Beta,Retail,active,,${on(2)},`,
          `csv-life-3,csv-c,Gamma,Retail,lost,300,${on(2)},900`,
          `csv-life-4,csv-d,Delta,Retail,won,300,${on(2)},0x10`,
        ].join('\n'),
      );
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url };
      for (const name of Object.keys(env))
        if (name.startsWith('SLACK_') || name === 'PGLITE_DIR' || name === 'DEMO_DATA') delete env[name];
      const run = await new Promise<{ code: number | null; stdout: string }>((resolve) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', 'src/cli/importEvents.ts', file],
          { cwd: projectRoot, env, timeout: 90_000 },
          (error, stdout) =>
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout }),
        ),
      );
      expect(run.stdout).toContain('line 4');
      expect(run.stdout).toMatch(/line 4[^\n]*projected_value is only for won events/);
      expect(run.stdout).toMatch(/line 5[^\n]*projected_value must be a number/);
      const stored = await db.database.prisma.customerEvent.findMany({
        where: { externalId: { in: ['csv-life-1', 'csv-life-2'] } },
        orderBy: { externalId: 'asc' },
      });
      expect(
        stored.map((row) => [row.kind, Number(row.value), row.projectedValue && Number(row.projectedValue)]),
      ).toEqual([
        ['won', 300, 900],
        ['active', 0, null],
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
