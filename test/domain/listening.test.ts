// What the Monday digest says about the week's feedback, composed from a real PostgreSQL
// database in the organisation's time zone (Europe/Paris). The digest week, Monday 21 to
// Sunday 27 October 2030, ends on the night the clocks go back: it lasts 169 hours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Digest, DigestSection } from '../../src/domain/digest.js';
import type { FeedbackInput, FeedbackView } from '../../src/domain/feedback.js';
import type { NoticeSender } from '../../src/domain/notices.js';
import type { Person } from '../../src/domain/people.js';
import { createServices, type Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const week = '2030-10-21';
const cco: Person = { platform: 'slack', userId: 'UCCO' };
const leader: Person = { platform: 'slack', userId: 'ULEAD' };
const ana: Person = { platform: 'slack', userId: 'USTAFF_ANA' };
const ben: Person = { platform: 'slack', userId: 'USTAFF_BEN' };
const cleo: Person = { platform: 'slack', userId: 'USTAFF_CLEO' };
const dan: Person = { platform: 'slack', userId: 'USTAFF_DAN' };
const env = { BOOTSTRAP_CCO_SLACK_IDS: cco.userId, ORG_TIMEZONE: 'Europe/Paris', ORG_CURRENCY: 'EUR' };

let test: TestDatabase;
let db: Db;
let services: Services;
let now = new Date('2030-10-23T10:00:00Z');
const issues: Record<'late' | 'hold' | 'advert', number> = { late: 0, hold: 0, advert: 0 };

async function logAt(loggedAt: string, by: Person, input: FeedbackInput): Promise<FeedbackView> {
  const logged = await services.logFeedback(by, input);
  if (!logged.ok) throw new Error(`expected feedback to be logged, got: ${logged.message}`);
  const sorted = (await services.sortFeedback(logged.view.feedback.id))!;
  // Logging stamps the database's now(); the story needs it on a given day.
  await db.feedback.update({ where: { id: sorted.feedback.id }, data: { loggedAt: new Date(loggedAt) } });
  return sorted;
}

function section<K extends DigestSection['kind']>(digest: Digest, kind: K): Extract<DigestSection, { kind: K }> {
  const found = digest.sections.find((candidate) => candidate.kind === kind);
  if (!found) throw new Error(`the digest has no ${kind} section`);
  return found as Extract<DigestSection, { kind: K }>;
}

beforeAll(async () => {
  test = await freshDatabase();
  db = test.database.prisma;
  services = createServices(db, loadConfig(env), { log: () => {}, clock: () => now });
  await services.loadLanguage();
  expect(await services.people.grant(cco, leader, 'leader')).toMatchObject({ ok: true });
  expect(
    await services.recordCustomerEvents([
      {
        external_id: 'ev-zed',
        customer_id: 'zed',
        customer_name: 'Zed Holdings',
        segment: 'Enterprise',
        kind: 'won',
        value: 1000,
        occurred_at: '2030-09-02T10:00:00Z',
      },
    ]),
  ).toMatchObject({ stored: 1 });
  const zed = await db.customer.findUniqueOrThrow({ where: { externalId: 'zed' } });

  // Late parcels (Use / Delivery): 3 this week from three sources, 2 last week, 1 in each of the two weeks before.
  const late = await logAt('2030-10-22T09:00:00Z', ana, {
    text: 'My parcel delivery arrived two days late, courier never rang',
    source: 'call_centre',
    severity: 'high',
    customerId: zed.id,
  });
  expect(late.feedback.segment).toBe('Enterprise');
  await logAt('2030-10-23T09:00:00Z', ben, {
    text: 'Parcel delivery arrived late again, the courier never rang the bell',
    source: 'web',
  });
  await logAt('2030-10-24T09:00:00Z', cleo, {
    text: 'The parcel delivery arrived late and the courier never rang',
    source: 'store',
  });
  await logAt('2030-10-15T09:00:00Z', ana, {
    text: 'Parcel delivery arrived late, the courier did not ring the bell',
    source: 'call_centre',
  });
  await logAt('2030-10-16T09:00:00Z', ben, {
    text: 'Late parcel delivery again, courier never rang the bell',
    source: 'call_centre',
  });
  await logAt('2030-10-08T09:00:00Z', ben, {
    text: 'Parcel delivery late again; the courier never rang the bell at all',
    source: 'web',
  });
  await logAt('2030-10-01T09:00:00Z', ben, {
    text: 'Parcel delivery arrived late once more and the courier never rang',
    source: 'web',
  });
  issues.late = late.issue!.number;

  // Put on hold (Get help / Staff and service): Sunday 23:30 in Paris, after the clocks went back, is still this week;
  // Monday 00:30 is next week's.
  const hold = await logAt('2030-10-27T22:30:00Z', ana, {
    text: 'The agent put me on hold for forty minutes and was rude',
    source: 'call_centre',
  });
  await logAt('2030-10-27T23:30:00Z', ben, {
    text: 'The agent put me on hold for forty minutes again, rude',
    source: 'call_centre',
  });
  issues.hold = hold.issue!.number;

  // A confusing advert (Discover / Communication): Monday 00:30 in Paris (still summer time) opens the week.
  const advert = await logAt('2030-10-20T22:30:00Z', cleo, {
    text: 'I heard about you from an advert on the radio, the advert was confusing',
    source: 'social',
  });
  await logAt('2030-10-25T09:00:00Z', dan, {
    text: 'The radio advert was confusing, I heard about you but did not understand the offer',
    source: 'social',
  });
  issues.advert = advert.issue!.number;

  expect(new Set(Object.values(issues)).size).toBe(3);
});
afterAll(() => test?.drop());

describe('the listening section', () => {
  it('lists the journey stages in the company order, each with its issues and their trend', async () => {
    const { report } = section(await services.digestFor(week), 'listening');

    expect(report.stages.map((stage) => stage.stageName)).toEqual(['Discover', 'Use', 'Get help']);
    expect(report).toMatchObject({ reports: 6, previous: 2, unsorted: 0 });
    const [discover, use, getHelp] = report.stages;
    expect(discover).toMatchObject({ reports: 2, previous: 0, moreIssues: 0 });
    expect(use).toMatchObject({ reports: 3, previous: 2, moreIssues: 0 });
    expect(getHelp).toMatchObject({ reports: 1, previous: 0, moreIssues: 0 });
    expect(use!.issues).toEqual([
      expect.objectContaining({
        number: issues.late,
        categoryName: 'Delivery',
        status: 'open',
        // This week, then last week and the 4-week average.
        current: 3,
        compared: [2, 1],
      }),
    ]);
    expect(getHelp!.issues).toEqual([
      expect.objectContaining({ number: issues.hold, current: 1, compared: [0, 0], converging: null }),
    ]);
  });

  it('says when the call centre, the web and a store heard the same thing', async () => {
    const { report } = section(await services.digestFor(week), 'listening');
    const late = report.stages.flatMap((stage) => stage.issues).find((issue) => issue.number === issues.late)!;

    expect(late.converging).toMatch(/^3 sources: /);
    for (const source of ['call centre', 'web', 'store']) expect(late.converging).toContain(source);
  });
});

describe('the verbatims section', () => {
  it('quotes 3 to 5 customers, attributed by segment and source, never by name', async () => {
    const digest = await services.digestFor(week);
    const { verbatims } = section(digest, 'verbatims');

    expect(verbatims.length).toBeGreaterThanOrEqual(3);
    expect(verbatims.length).toBeLessThanOrEqual(5);
    expect(verbatims[0]).toEqual({
      text: 'My parcel delivery arrived two days late, courier never rang',
      attribution: expect.stringMatching(/^An Enterprise customer, via (the )?call centre$/),
      stageName: 'Use',
      issueNumber: issues.late,
    });
    expect(new Set(verbatims.map((verbatim) => verbatim.issueNumber))).toEqual(
      new Set([issues.late, issues.hold, issues.advert]),
    );
    for (const verbatim of verbatims) expect(verbatim.attribution).toMatch(/customer, via /);
    expect(JSON.stringify(digest)).not.toContain('Zed');
  });

  it('names the customer when the organisation allows it', async () => {
    const named = createServices(db, loadConfig({ ...env, SHOW_CUSTOMER_NAMES: 'true' }), {
      log: () => {},
      clock: () => now,
    });
    const { verbatims } = section(await named.digestFor(week), 'verbatims');

    expect(verbatims[0]!.attribution).toMatch(/^Zed Holdings \(Enterprise\), via (the )?call centre$/);
  });
});

describe('the hope section', () => {
  it('counts the fixes made in the week and the thank-yous sent in it', async () => {
    const sent: string[] = [];
    const slack: NoticeSender = {
      platform: 'slack',
      send: async (notice) => {
        sent.push(notice.key);
        return `ts-${sent.length}`;
      },
    };
    services.addNoticeSender(slack);
    expect(await services.setHopeChannel(leader, { platform: 'slack', channelId: 'C_HOPE' }, true)).toMatchObject({
      ok: true,
    });

    // Fixed on Thursday of the digest week: two people logged it.
    now = new Date('2030-10-24T15:00:00Z');
    expect(
      await services.resolveIssue(leader, issues.advert, 'The radio advert now says plainly what we sell.'),
    ).toMatchObject({ ok: true, reporters: 2, channels: 1 });
    await services.sendNotices();
    // Fixed the Tuesday after: next week's story.
    now = new Date('2030-10-29T10:00:00Z');
    expect(
      await services.resolveIssue(leader, issues.hold, 'Nobody waits on hold more than five minutes: we call back.'),
    ).toMatchObject({ ok: true });
    await services.sendNotices();
    expect(sent.filter((key) => key.startsWith('hope-thanks:'))).toHaveLength(4);

    const { report: hope } = section(await services.digestFor(week), 'hope');

    expect(hope).toEqual({
      fixes: [
        {
          number: issues.advert,
          title: 'I heard about you from an advert on the radio, the advert was confusing',
          whatChanged: 'The radio advert now says plainly what we sell.',
        },
      ],
      reportersTold: 2,
      reopened: 0,
    });
  });
});
