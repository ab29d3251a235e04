// The early warning system over real HTTP into a running bot on a fresh PostgreSQL: moments
// from the company language file, readings through POST /api/metrics (bad rows refused one by
// one), one warning when a moment breaks its standard and none more until it recovers, the
// recovery announced, complaint spikes that fire for a busy stage and not for 0 → 1, two
// processes checking at once raising each warning once, and customer words escaped.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import type { NoticeContent } from '../../src/domain/notices.js';
import { defaultLanguage } from '../../src/domain/language.js';
import type { WarningNoticeContent, WarningStory } from '../../src/domain/warnings.js';
import { addDays, weekContaining } from '../../src/domain/weeks.js';
import { digestToCard } from '../../src/render/digestCard.js';
import { digestToSlack } from '../../src/render/digestSlack.js';
import { noticeToCard } from '../../src/render/noticeCard.js';
import { noticeToSlack } from '../../src/render/noticeSlack.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';
import { createWarningServices } from '../../src/services/warningService.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const token = 'metrics-secret';
const onTime = 'Order delivered on time';
const answered = 'Call answered';
const moments = [
  {
    name: onTime,
    stage: 'Start',
    metric: 'First orders delivered on the promised day',
    unit: '%',
    better: 'higher',
    standard: 95,
    owner: { platform: 'slack', person: 'UOPSLEAD', name: 'Dana' },
  },
  {
    name: answered,
    stage: 'Get help',
    metric: 'Average time to answer a call',
    unit: 'seconds',
    better: 'lower',
    standard: 60,
    owner: { platform: 'slack', channel: 'CSUPPORT' },
  },
];
const leaders = { platform: 'slack' as const, channelId: 'CLEADERS' };
const teamsLeaders = { platform: 'teams' as const, channelId: '19:leaders@thread.tacv2' };

let db: TestDatabase;
let folder: string;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  folder = await mkdtemp(path.join(tmpdir(), 'early-warnings-'));
  const languageFile = path.join(folder, 'language.json');
  await writeFile(languageFile, JSON.stringify({ ...defaultLanguage, moments }));
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      ORG_TIMEZONE: 'UTC',
      METRICS_API_TOKEN: token,
      LANGUAGE_FILE: languageFile,
      BOOTSTRAP_CCO_SLACK_IDS: 'UCCO',
    }),
    { log: () => {} },
  );
  await deliveryStore(db.database.prisma).subscribe(leaders, 'UCCO', 'warnings');
  await deliveryStore(db.database.prisma).subscribe(teamsLeaders, 'aad-cco', 'warnings');
});

afterAll(async () => {
  await bot?.stop();
  await db?.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

function postReadings(body: unknown, authorization: string | null = `Bearer ${token}`) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== null) headers.authorization = authorization;
  return fetch(`${bot.url}/api/metrics`, { method: 'POST', headers, body: JSON.stringify(body) });
}

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();

/** Warning notices in the outbox for one moment (or stage), oldest first. */
async function warningNotices(about: (story: WarningStory) => boolean) {
  const rows = await db.database.prisma.notice.findMany({ where: { kind: 'earlyWarning' }, orderBy: { seq: 'asc' } });
  return rows
    .filter((row) => about((row.payload as unknown as Extract<WarningNoticeContent, { kind: 'earlyWarning' }>).story))
    .map((row) => ({
      target: row.target,
      platform: row.platform,
      content: row.payload as unknown as Extract<WarningNoticeContent, { kind: 'earlyWarning' }>,
    }));
}
const aboutMoment = (name: string) => (story: WarningStory) => story.moment?.name === name;

describe('POST /api/metrics', () => {
  it('refuses a request without the metrics token and stores nothing', async () => {
    const response = await postReadings(
      [{ external_id: 'x1', moment: onTime, value: 97, measured_at: hoursAgo(9) }],
      'Bearer wrong',
    );
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toMatch(/Authorization: Bearer/);
    expect(await db.database.prisma.metricReading.count()).toBe(0);
  });

  it('keeps the good rows and refuses each bad one with its row number and reason; a resend stores nothing twice', async () => {
    const batch = [
      { external_id: 'r1', moment: onTime, value: 97, measured_at: hoursAgo(8) },
      { external_id: 'r2', moment: 'Proposal sent', value: 3, measured_at: hoursAgo(8) },
      { external_id: 'r3', moment: onTime, value: '97%', measured_at: hoursAgo(8) },
      { external_id: 'r4', moment: onTime, value: 97, measured_at: '2026-02-30' },
      { moment: onTime, value: 97, measured_at: hoursAgo(8) },
      { external_id: 'r6', moment: 'order delivered ON TIME', value: '98.5', measured_at: hoursAgo(7) },
    ];
    const response = await postReadings({ readings: batch });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      stored: number;
      duplicates: number;
      rejected: Array<{ row: number; reason: string }>;
      message: string;
    };
    expect(body).toMatchObject({ stored: 2, duplicates: 0 });
    expect(body.rejected.map((row) => row.row)).toEqual([2, 3, 4, 5]);
    expect(body.rejected[0]!.reason).toMatch(/"Proposal sent" is not one of the moments/);
    expect(body.rejected[1]!.reason).toMatch(/^value must be a number such as 97.5/);
    expect(body.rejected[2]!.reason).toMatch(/^measured_at 2026-02-30 is not a date in the calendar/);
    expect(body.rejected[3]!.reason).toMatch(/^external_id is required/);
    expect(body.message).toMatch(/the valid rows were kept/);

    const again = (await (await postReadings(batch)).json()) as { stored: number; duplicates: number };
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
    expect(await db.database.prisma.metricReading.count()).toBe(2);
  });

  it('answers 422 when no row could be kept', async () => {
    const response = await postReadings([
      { external_id: 'bad', moment: onTime, value: 'lots', measured_at: hoursAgo(1) },
    ]);
    expect(response.status).toBe(422);
  });
});

describe('a moment below its standard', () => {
  it('warns each subscribed channel once, with the readings, the owner and the standard', async () => {
    expect(
      (await postReadings([{ external_id: 'r10', moment: onTime, value: 91, measured_at: hoursAgo(6) }])).status,
    ).toBe(200);
    await bot.warnings.checkWarnings();
    const notices = await warningNotices(aboutMoment(onTime));
    expect(notices.map((notice) => `${notice.platform}:${notice.target}`)).toEqual([
      'slack:CLEADERS',
      'teams:19:leaders@thread.tacv2',
    ]);
    const { story } = notices[0]!.content;
    expect(story).toMatchObject({
      kind: 'belowStandard',
      stageName: 'Start',
      owners: [{ kind: 'person', platform: 'slack', id: 'UOPSLEAD', name: 'Dana' }],
    });
    expect(story.moment!.readings.map((reading) => [reading.value, reading.meets])).toEqual([
      [91, false],
      [98.5, true],
      [97, true],
    ]);
    expect(story.why).toMatch(
      /^First orders delivered on the promised day was 91% on \d{4}-\d{2}-\d{2}, below the minimum standard of 95% \(higher is better\)\.$/,
    );
    const slack = noticeToSlack(notices[0]!.content, { locale: 'en-US', currency: 'USD' });
    expect(JSON.stringify(slack.blocks)).toContain('Owner: <@UOPSLEAD>');
  });

  it('does not warn again while it stays below, and announces the recovery once', async () => {
    await postReadings([{ external_id: 'r11', moment: onTime, value: 89, measured_at: hoursAgo(5) }]);
    expect((await bot.warnings.checkWarnings()).raised).toEqual([]);
    expect(await warningNotices(aboutMoment(onTime))).toHaveLength(2);

    await postReadings([{ external_id: 'r12', moment: onTime, value: 96, measured_at: hoursAgo(4) }]);
    await bot.warnings.checkWarnings();
    const recovered = (await warningNotices(aboutMoment(onTime))).filter(
      (notice) => notice.content.story.kind === 'recovered',
    );
    expect(recovered).toHaveLength(2);
    expect(recovered[0]!.content.story.why).toMatch(/is back to 96%/);
    expect((await bot.warnings.checkWarnings()).raised).toEqual([]);
  });

  it('is raised once when two processes check at the same moment', async () => {
    const other: Database = await openDatabase({ databaseUrl: db.url, pgliteDir: 'unused' });
    try {
      const second = createWarningServices(other.prisma, loadConfig({ ORG_TIMEZONE: 'UTC' }), {
        clock: () => new Date(),
        log: () => {},
        sendNotices: async () => undefined,
      });
      expect(
        await second.recordReadings(
          [{ external_id: 'call-1', moment: answered, value: 75, measured_at: hoursAgo(3) }],
          { checkAfter: false },
        ),
      ).toMatchObject({ stored: 1 });
      const [first, again] = await Promise.all([bot.warnings.checkWarnings(), second.checkWarnings()]);
      expect(first.raised.length + again.raised.length).toBe(1);
      expect(
        await db.database.prisma.warning.count({
          where: { kind: 'belowStandard', content: { path: ['moment', 'name'], equals: answered } },
        }),
      ).toBe(1);
      expect(await warningNotices(aboutMoment(answered))).toHaveLength(2);
    } finally {
      await other.close();
    }
  });
});

describe('complaint spikes', () => {
  const hostile = '<!channel> The courier *never* came, see [my photos](http://evil.example) <at>Dana</at>';

  beforeAll(async () => {
    const prisma = db.database.prisma;
    const stage = async (name: string) => (await prisma.journeyStage.findFirstOrThrow({ where: { name } })).id;
    const category = async (name: string) => (await prisma.feedbackCategory.findFirstOrThrow({ where: { name } })).id;
    const [use, discover, decide, delivery, price] = await Promise.all([
      stage('Use'),
      stage('Discover'),
      stage('Decide'),
      category('Delivery'),
      category('Price'),
    ]);
    const weekStart = weekContaining(new Date(), 'UTC');
    const rows: Array<{ stageId: string; categoryId: string; loggedAt: Date; text: string; severity?: 'high' }> = [];
    const add = (count: number, stageId: string, categoryId: string, loggedAt: Date) => {
      for (let index = 0; index < count; index++)
        rows.push({ stageId, categoryId, loggedAt, text: `The parcel was late again, number ${index}` });
    };
    for (let week = 1; week <= 8; week++) {
      const day = new Date(`${addDays(weekStart, -7 * week + 2)}T12:00:00Z`);
      add(50, use, delivery, day); // a busy stage: 50 a week
      add(20, decide, price, day); // a middling one: 20 a week
    }
    const now = new Date();
    add(69, use, delivery, now); // up 40%
    rows.push({ stageId: use, categoryId: delivery, loggedAt: now, text: hostile, severity: 'high' });
    add(28, decide, price, now); // up 40% too, which at 20 a week happens by chance
    add(1, discover, price, now); // a quiet stage: 0 → 1
    await prisma.feedback.createMany({
      data: rows.map((row) => ({
        ...row,
        reporterId: 'api',
        source: 'web' as const,
        sentiment: 'negative' as const,
        classifiedBy: 'keywords' as const,
      })),
    });
    await bot.services.recordCustomerEvents([
      {
        external_id: 'lost-1',
        customer_id: 'c-1',
        customer_name: 'Acme Ltd',
        segment: 'Retail',
        kind: 'lost',
        value: 12000,
        occurred_at: now.toISOString(),
        reason: 'Delivery kept arriving late',
      },
      {
        external_id: 'lost-2',
        customer_id: 'c-2',
        customer_name: 'Bolt plc',
        segment: 'Enterprise',
        kind: 'lost',
        value: 30000,
        occurred_at: now.toISOString(),
        reason: 'Moved to a cheaper supplier',
      },
    ]);
  });

  it('fires for the busy stage and its category, not for 0 → 1 nor for a rise chance explains, and once a week', async () => {
    const check = await bot.warnings.checkWarnings();
    const spikes = await warningNotices((story) => story.kind === 'complaintSpike');
    const stories = spikes
      .filter((notice) => notice.target === leaders.channelId)
      .map((notice) => notice.content.story);
    expect(stories.map((story) => [story.stageName, story.categoryName]).sort()).toEqual([
      ['Use', null],
      ['Use', 'Delivery'],
    ]);
    expect(check.raised.filter((warning) => warning.kind === 'complaintSpike')).toHaveLength(2);

    const delivery = stories.find((story) => story.categoryName === 'Delivery')!;
    expect(delivery.complaints).toMatchObject({ thisWeek: 70, weeklyBaseline: 50 });
    expect(delivery.why).toBe(
      '70 complaints about Delivery at Use this week so far, against 50 a week over the previous 8 weeks. If nothing had changed, 70 or more in a week would happen about 1 week in 231.',
    );
    expect(delivery.complaints.verbatims).toHaveLength(3);
    expect(delivery.complaints.verbatims[0]).toEqual({ text: hostile, attribution: 'A customer, via web' });
    expect(delivery.lost).toMatchObject({
      customers: 1,
      value: 12000,
      examples: [{ who: 'A Retail customer', value: 12000, reason: 'Delivery kept arriving late' }],
    });

    expect((await bot.warnings.checkWarnings()).raised).toEqual([]);
  });

  it('escapes what customers wrote, in Slack and in Teams', async () => {
    const [spike] = (await warningNotices((story) => story.categoryName === 'Delivery')).filter(
      (notice) => notice.platform === 'slack',
    );
    const content = spike!.content as NoticeContent & { kind: 'earlyWarning' };
    const slack = JSON.stringify(noticeToSlack(content, { locale: 'en-US', currency: 'USD' }));
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('&lt;!channel&gt;');
    expect(slack).not.toContain('<http');
    const { card } = noticeToCard(content, { locale: 'en-US', currency: 'USD' });
    const cardText = JSON.stringify(card);
    expect(cardText).toContain('\\\\[my photos\\\\]\\\\(http://evil.example\\\\)');
    expect(cardText).not.toMatch(/[^\\]<at>/);
    expect(adaptiveCardProblems(card)).toEqual([]);
  });
});

describe("the digest's Early warning section", () => {
  it('lists what stands below standard and for how long, the spikes, and what recovered', async () => {
    const digest = await bot.services.digestFor(weekContaining(new Date(), 'UTC'));
    const section = digest.sections.find((entry) => entry.kind === 'earlyWarning');
    expect(section?.kind === 'earlyWarning' && section.warnings).toMatchObject({
      belowStandard: [{ moment: answered, stageName: 'Get help', latest: '75 seconds', standard: '60 seconds' }],
      spikes: expect.arrayContaining([
        { stageName: 'Use', categoryName: 'Delivery', complaints: 70, weeklyBaseline: 50 },
        { stageName: 'Use', categoryName: null, complaints: 70, weeklyBaseline: 50 },
      ]),
      recovered: [{ moment: onTime, stageName: 'Start', days: 0 }],
    });
    const slack = JSON.stringify(digestToSlack(digest)[0]!.blocks);
    expect(slack).toContain('*Early warning*');
    expect(slack).toContain(`Below standard: ${answered} (Get help), 75 seconds against 60 seconds, for`);
    expect(adaptiveCardProblems(digestToCard(digest))).toEqual([]);
  });
});

describe('the warning commands the adapters will call', () => {
  const cco = { platform: 'slack' as const, userId: 'UCCO' };
  const staff = { platform: 'slack' as const, userId: 'USTAFF' };

  it('lets the CCO or a leader choose where warnings go, and tells staff who can', async () => {
    expect(await bot.warningCommands.subscribe(staff, { platform: 'slack', channelId: 'CRANDOM' }, true)).toMatchObject(
      {
        ok: false,
        code: 'notAllowed',
        message: expect.stringMatching(/^Only the CCO or a leader can choose where early warnings are posted/),
      },
    );
    expect(await bot.warningCommands.subscribe(cco, leaders, true)).toMatchObject({
      ok: true,
      result: 'alreadySubscribed',
    });
    expect(await bot.warningCommands.subscribe(cco, { platform: 'slack', channelId: 'COPS' }, true)).toMatchObject({
      ok: true,
      result: 'subscribed',
    });
    expect(await deliveryStore(db.database.prisma).subscriptions('warnings')).toHaveLength(3);
  });

  it('lists the moments and how each stands', async () => {
    const listed = await bot.warningCommands.moments();
    expect(listed.message).toContain(
      'Get help: Call answered, Average time to answer a call, standard 60 seconds (lower is better), below standard since',
    );
    expect(listed.message).toContain(
      'Start: Order delivered on time, First orders delivered on the promised day, standard 95% (higher is better)\n',
    );
  });

  it('records the first acknowledgement only, and opens the issues at the warning’s stage', async () => {
    const warning = await db.database.prisma.warning.findFirstOrThrow({
      where: { kind: 'complaintSpike', categoryId: { not: null } },
    });
    expect(await bot.warningCommands.acknowledge(staff, warning.id)).toMatchObject({ ok: false, code: 'notAllowed' });
    expect(await bot.warningCommands.acknowledge(cco, warning.id)).toMatchObject({ ok: true });
    expect(await bot.warningCommands.acknowledge(cco, warning.id)).toMatchObject({
      ok: false,
      code: 'alreadyAcknowledged',
    });
    expect(await db.database.prisma.warning.findUniqueOrThrow({ where: { id: warning.id } })).toMatchObject({
      acknowledgedBy: 'slack:UCCO',
    });
    expect(await bot.warningCommands.acknowledge(cco, 'not-a-warning')).toMatchObject({
      ok: false,
      code: 'unknownWarning',
    });
    expect(await bot.warningCommands.issues(warning.id)).toMatchObject({
      ok: true,
      issues: [],
      message: 'No open issue for Delivery at Use right now.',
    });
  });
});
