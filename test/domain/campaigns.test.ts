// Lost-customer call campaigns on real PostgreSQL through createServices: who is called,
// who calls, who may see a customer's contact details, what the callers and leaders are
// sent (read straight from the outbox) and what reaches the digest. Time is an injected
// clock in the organisation's zone (Paris), so weekends and weeks are checked exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  assignFairly,
  type CampaignInput,
  type CampaignSummary,
  type LostCustomer,
} from '../../src/domain/campaigns.js';
import type { NoticeContent } from '../../src/domain/notices.js';
import type { Person } from '../../src/domain/people.js';
import { createServices, type Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const leader: Person = { platform: 'slack', userId: 'ULEAD' };
const staff: Person = { platform: 'slack', userId: 'USTAFF' };
const ana: Person = { platform: 'slack', userId: 'UANA' };
const ben: Person = { platform: 'slack', userId: 'UBEN' };
const cleo: Person = { platform: 'slack', userId: 'UCLEO' };
const dan: Person = { platform: 'slack', userId: 'UDAN' };

const acmeContact = '+33 1 40 00 00 01';
const deltaContact = 'buyer@delta.example';

let test: TestDatabase;
let db: Db;
let services: Services;
let now = new Date('2026-03-18T10:00:00Z'); // a Wednesday
const at = (iso: string) => {
  now = new Date(iso);
};

function event(
  customer: string,
  name: string,
  segment: string,
  kind: string,
  value: number,
  occurredAt: string,
  contact?: string,
) {
  return {
    external_id: `${customer}-${kind}-${occurredAt}`,
    customer_id: customer,
    customer_name: name,
    segment,
    kind,
    value,
    occurred_at: occurredAt,
    ...(contact ? { customer_contact: contact } : {}),
  };
}

beforeAll(async () => {
  test = await freshDatabase();
  db = test.database.prisma;
  services = createServices(
    db,
    loadConfig({ BOOTSTRAP_CCO_SLACK_IDS: cco.userId, ORG_TIMEZONE: 'Europe/Paris', ORG_CURRENCY: 'EUR' }),
    { log: () => {}, clock: () => now },
  );
  await services.loadLanguage();
  expect(await services.people.grant(cco, leader, 'leader')).toMatchObject({ ok: true });
  // The history is loaded as of after April's losses: events more than a day ahead of the clock are refused.
  const campaignDay = now;
  at('2026-04-10T10:00:00Z');
  const recorded = await services.recordCustomerEvents([
    // Retail: a six-year customer, a newer one, and one who came back after leaving.
    event('r1', 'Acme Stores', 'Retail', 'won', 10_000, '2020-03-01T09:00:00Z', acmeContact),
    event('r1', 'Acme Stores', 'Retail', 'lost', 12_000, '2026-03-02T09:00:00Z'),
    event('r2', 'Bakers Row', 'Retail', 'won', 4_000, '2025-09-10T09:00:00Z'),
    event('r2', 'Bakers Row', 'Retail', 'lost', 5_000, '2026-03-04T09:00:00Z'),
    event('r3', 'Comeback Co', 'Retail', 'lost', 20_000, '2026-03-03T09:00:00Z', '+33 1 40 00 00 03'),
    event('r3', 'Comeback Co', 'Retail', 'reactivated', 20_000, '2026-03-10T09:00:00Z'),
    // Enterprise
    event('e1', 'Delta Corp', 'Enterprise', 'lost', 9_000, '2026-03-03T09:00:00Z', deltaContact),
    event('e2', 'Echo Ltd', 'Enterprise', 'lost', 3_000, '2026-03-06T09:00:00Z', 'echo@example.com'),
    // SMB: one in range, one too small, one lost before the period, one who came back and left again.
    event('s1', 'Fig & Co', 'SMB', 'lost', 800, '2026-03-05T09:00:00Z'),
    event('s2', 'Gum Shop', 'SMB', 'lost', 50, '2026-03-07T09:00:00Z'),
    event('s3', 'Old Mill', 'SMB', 'lost', 700, '2025-12-01T09:00:00Z'),
    event('s4', 'Hat Hut', 'SMB', 'lost', 400, '2026-02-01T09:00:00Z'),
    event('s4', 'Hat Hut', 'SMB', 'won', 500, '2026-02-10T09:00:00Z'),
    event('s4', 'Hat Hut', 'SMB', 'lost', 600, '2026-03-08T09:00:00Z'),
    // Enough customers for lists longer than one message.
    ...Array.from({ length: 45 }, (_, n) =>
      event(`b${n}`, `Bulk ${n}`, 'Bulk', 'lost', 100 + n * 10, '2026-03-10T09:00:00Z'),
    ),
    // Wholesale, lost in April, for reminders.
    event('w1', 'Wool Inc', 'Wholesale', 'lost', 4_000, '2026-04-01T09:00:00Z'),
    event('w2', 'Wax Ltd', 'Wholesale', 'lost', 3_000, '2026-04-02T09:00:00Z'),
    event('w3', 'Wick & Son', 'Wholesale', 'lost', 2_000, '2026-04-03T09:00:00Z'),
  ]);
  expect(recorded.rejected).toEqual([]);
  now = campaignDay;
});
afterAll(() => test?.drop());

const march: CampaignInput = {
  name: 'March leavers',
  lostFrom: '2026-03-01',
  lostUntil: '2026-03-15',
  segments: ['Retail', 'Enterprise', 'SMB'],
  minValue: 100,
  callers: [ana.userId, ben.userId],
  dueOn: '2026-03-20',
  guidance: 'Ask what we could have done.',
};

/** What the person is told; which form field a refusal is about is tested in test/services/campaignService.test.ts. */
async function start(
  by: Person,
  input: Partial<CampaignInput> = {},
): Promise<{ ok: boolean; message: string; campaign?: CampaignSummary }> {
  const result = await services.startCampaign(by, { ...march, ...input });
  return result.ok ? result : { ok: false, message: result.message };
}

/** What the person is told of a refusal, without the code and field an adapter branches on (tested in test/services/). */
const told = (outcome: { ok: boolean; message: string }) => ({ ok: outcome.ok, message: outcome.message });

async function noticesOf(kind: NoticeContent['kind'], campaignId?: string) {
  const notices = await db.notice.findMany({ where: { kind }, orderBy: [{ createdAt: 'asc' }, { key: 'asc' }] });
  return notices
    .map((notice) => ({ ...notice, content: notice.payload as unknown as NoticeContent }))
    .filter(
      (notice) =>
        campaignId === undefined || !('campaignId' in notice.content) || notice.content.campaignId === campaignId,
    );
}

async function callsOf(campaignId: string) {
  return db.campaignCall.findMany({
    where: { campaignId },
    include: { customer: true },
    orderBy: { valueLost: 'desc' },
  });
}

async function categoryId(name: string): Promise<string> {
  return (await services.language.vocabulary()).categories.find((category) => category.name === name)!.id;
}

async function stageId(name: string): Promise<string> {
  return (await services.language.vocabulary()).stages.find((stage) => stage.name === name)!.id;
}

describe('assigning calls fairly', () => {
  const customers: LostCustomer[] = Array.from({ length: 100 }, (_, n) => ({
    customerId: `c${n}`,
    name: `Customer ${n}`,
    segment: 'Retail',
    valueLost: ((n * 7919) % 1000) * 10 + n,
    lostAt: new Date('2026-03-01'),
  }));
  const callers = ['U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7'];

  it('gives every caller nearly the same number of calls', () => {
    const calls = assignFairly(customers, callers);
    expect(calls).toHaveLength(100);
    expect(new Set(calls.map((call) => call.customerId)).size).toBe(100);
    const counts = callers.map((caller) => calls.filter((call) => call.callerId === caller).length);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('takes the highest values first and spreads the biggest losses over different callers', () => {
    const calls = assignFairly(customers, callers);
    const values = calls.map((call) => call.valueLost);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(new Set(calls.slice(0, callers.length).map((call) => call.callerId)).size).toBe(callers.length);
    // Value is balanced too: no caller ends up with far more than another.
    const totals = callers.map((caller) =>
      calls.filter((call) => call.callerId === caller).reduce((sum, call) => sum + call.valueLost, 0),
    );
    expect(Math.max(...totals) - Math.min(...totals)).toBeLessThanOrEqual(Math.max(...values));
  });

  it('splits a long list into messages of 20 calls', () => {
    const calls = assignFairly(customers.slice(0, 45), ['U1']);
    expect([0, 1, 2].map((part) => calls.filter((call) => call.part === part).length)).toEqual([20, 20, 5]);
  });
});

describe('starting a campaign', () => {
  it('refuses staff in plain words and creates nothing', async () => {
    const result = await start(staff);
    expect(result).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Only the CCO can start, change or reassign lost-customer call campaigns\. You are staff here/,
      ),
    });
    expect(await db.campaign.count()).toBe(0);
  });

  it('says clearly when no lost customer matches, and creates nothing', async () => {
    expect(await start(cco, { segments: ['Nowhere'] })).toEqual({
      ok: false,
      message:
        'No lost customers match that period, those segments and that minimum value, so no campaign was started.',
    });
    expect(await start(cco, { lostFrom: '2025-01-01', lostUntil: '2025-01-31' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^No lost customers match/),
    });
    expect(await start(cco, { dueOn: '2026-03-17' })).toEqual({
      ok: false,
      message: 'The due date has already passed. Choose today or a later day.',
    });
    expect(await start(cco, { callers: [] })).toEqual({ ok: false, message: 'Choose at least one caller.' });
    expect(await db.campaign.count()).toBe(0);
    expect(await db.notice.count()).toBe(0);
  });

  it('shares the lost customers between the callers and owes each caller one list', async () => {
    const result = await start(cco);
    expect(result).toMatchObject({
      ok: true,
      message:
        'Campaign #1 "March leavers" started: 6 lost customers shared between 2 callers, due 2026-03-20. Each caller gets their list in a direct message.',
    });
    const campaign = result.campaign!;
    expect(campaign).toMatchObject({
      number: 1,
      status: 'active',
      dueOn: '2026-03-20',
      guidance: 'Ask what we could have done.',
      platform: 'slack',
    });

    const calls = await callsOf(campaign.id);
    // Comeback Co came back after leaving, Gum Shop is under the minimum, Old Mill left before the period; Hat Hut left again.
    expect(calls.map((call) => call.customer.name)).toEqual([
      'Acme Stores',
      'Delta Corp',
      'Bakers Row',
      'Echo Ltd',
      'Fig & Co',
      'Hat Hut',
    ]);
    expect(calls.map((call) => Number(call.valueLost))).toEqual([12_000, 9_000, 5_000, 3_000, 800, 600]);
    expect(calls.every((call) => call.status === 'open' && call.part === 0)).toBe(true);
    const byCaller = (caller: Person) =>
      calls.filter((call) => call.callerId === caller.userId).map((call) => call.customer.name);
    expect(byCaller(ana)).toHaveLength(3);
    expect(byCaller(ben)).toHaveLength(3);
    // The two biggest losses go to different callers.
    expect(calls[0]!.callerId).not.toBe(calls[1]!.callerId);

    const notices = await noticesOf('campaignCalls', campaign.id);
    expect(notices.map((notice) => [notice.target, notice.toUser, notice.platform]).sort()).toEqual([
      [ana.userId, true, 'slack'],
      [ben.userId, true, 'slack'],
    ]);
    for (const notice of notices) {
      expect(notice.content).toMatchObject({
        kind: 'campaignCalls',
        campaignId: campaign.id,
        campaignNumber: 1,
        name: 'March leavers',
        dueOn: '2026-03-20',
        callerId: notice.target,
        part: 0,
        calls: 3,
      });
      // The outbox holds who to call, never how to reach them: the list is read fresh for the caller when it is sent.
      expect(JSON.stringify(notice.payload)).not.toContain(acmeContact);
      expect(JSON.stringify(notice.payload)).not.toContain(deltaContact);
    }
  });

  it('sends a long list as several messages of at most 20 calls', async () => {
    const result = await start(cco, {
      name: 'Bulk',
      segments: ['Bulk'],
      minValue: 0,
      callers: [cleo.userId, dan.userId],
      dueOn: '2026-03-31',
    });
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringContaining('45 lost customers shared between 2 callers'),
    });
    const notices = await noticesOf('campaignCalls', result.campaign!.id);
    const lists = notices
      .map((notice) => notice.content)
      .map((content) =>
        content.kind === 'campaignCalls' ? `${content.callerId}:${content.part}:${content.calls}` : '',
      );
    expect(lists.sort()).toEqual([
      `${cleo.userId}:0:20`,
      `${cleo.userId}:1:3`,
      `${dan.userId}:0:20`,
      `${dan.userId}:1:2`,
    ]);
  });
});

describe('calls, cards and progress', () => {
  let campaignId: string;
  let number: number;
  const callOf = async (customer: string) =>
    await db.campaignCall.findFirstOrThrow({ where: { campaignId, customer: { name: customer } } });

  beforeAll(async () => {
    at('2026-03-18T10:00:00Z');
    const campaign = await db.campaign.findFirstOrThrow({ where: { name: 'March leavers' } });
    campaignId = campaign.id;
    number = campaign.number;
  });

  it('lets the assigned caller log a call, and refuses another member of staff', async () => {
    const acme = await callOf('Acme Stores');
    const caller: Person = { platform: 'slack', userId: acme.callerId };

    const refused = told(await services.logCall(staff, acme.id, { reached: false }));
    expect(refused).toEqual({
      ok: false,
      message: 'This call is assigned to someone else: only they and the CCO can see or log it.',
    });
    expect(await callOf('Acme Stores')).toMatchObject({ status: 'open', loggedBy: null });
    // The caller's id on the other platform is someone else.
    expect(
      await services.logCall({ platform: 'teams', userId: acme.callerId }, acme.id, { reached: false }),
    ).toMatchObject({ ok: false });
    expect(await callOf('Acme Stores')).toMatchObject({ status: 'open', loggedBy: null });

    const logged = await services.logCall(caller, acme.id, {
      reached: true,
      reason: await categoryId('Delivery'),
      stageId: await stageId('Use'),
      verbatim: 'Three deliveries failed in a row.',
      mightReturn: 'maybe',
      followUpOwner: 'UOPS',
    });
    expect(logged).toMatchObject({
      ok: true,
      message: 'Call logged. Thank you.',
      call: { callerId: caller.userId, part: 0, campaign: { id: campaignId } },
    });
    expect(await callOf('Acme Stores')).toMatchObject({
      status: 'reached',
      reasonCategoryId: await categoryId('Delivery'),
      verbatim: 'Three deliveries failed in a row.',
      mightReturn: 'maybe',
      followUpOwner: 'UOPS',
      loggedBy: caller.userId,
      loggedAt: now,
    });
  });

  it('lets the CCO log anyone’s call', async () => {
    const delta = await callOf('Delta Corp');
    expect(await services.logCall(cco, delta.id, { reached: true, reason: await categoryId('Price') })).toMatchObject({
      ok: true,
    });
    expect(await callOf('Delta Corp')).toMatchObject({ status: 'reached', loggedBy: cco.userId });
  });

  it('asks for the reason when someone was reached, and for words with "Other"', async () => {
    const bakers = await callOf('Bakers Row');
    const caller: Person = { platform: 'slack', userId: bakers.callerId };
    expect(told(await services.logCall(caller, bakers.id, { reached: true }))).toEqual({
      ok: false,
      message: 'Choose the main reason they left (or "Other" with a few words).',
    });
    expect(told(await services.logCall(caller, bakers.id, { reached: true, reason: 'other' }))).toEqual({
      ok: false,
      message: 'With "Other", say in a few words why they left.',
    });
    expect(
      await services.logCall(caller, bakers.id, { reached: true, reason: 'other', reasonOther: '   ' }),
    ).toMatchObject({ ok: false, message: 'With "Other", say in a few words why they left.' });
    expect(await callOf('Bakers Row')).toMatchObject({ status: 'open' });

    expect(
      await services.logCall(caller, bakers.id, { reached: true, reason: 'other', reasonOther: 'Moved abroad' }),
    ).toMatchObject({ ok: true });
    expect(await callOf('Bakers Row')).toMatchObject({
      status: 'reached',
      reasonCategoryId: null,
      reasonOther: 'Moved abroad',
    });
  });

  it('marks a customer who could not be reached, and answers a call that does not exist', async () => {
    const echo = await callOf('Echo Ltd');
    expect(
      await services.logCall({ platform: 'slack', userId: echo.callerId }, echo.id, { reached: false }),
    ).toMatchObject({ ok: true, message: 'Marked as not reached.' });
    expect(told(await services.logCall(cco, 'not-a-call', { reached: false }))).toEqual({
      ok: false,
      message: 'I could not find that call any more. Nothing was saved.',
    });
    expect(await services.logCall(cco, '00000000-0000-4000-8000-000000000000', { reached: false })).toMatchObject({
      ok: false,
      message: expect.stringContaining('could not find'),
    });
  });

  it('shows contact details only to the assigned caller and the CCO', async () => {
    const acme = await callOf('Acme Stores');
    const own = await services.callerCards({ platform: 'slack', userId: acme.callerId }, campaignId, acme.callerId);
    expect(own.ok).toBe(true);
    if (!own.ok) return;
    expect(own.cards.find((card) => card.customerName === 'Acme Stores')).toMatchObject({
      contact: acmeContact,
      status: 'reached',
      reason: 'Delivery',
      segment: 'Retail',
      valueLost: 12_000,
    });
    expect(
      own.cards.every((card) =>
        ['Acme Stores', 'Echo Ltd', 'Hat Hut', 'Delta Corp', 'Bakers Row', 'Fig & Co'].includes(card.customerName),
      ),
    ).toBe(true);

    expect(await services.callerCards(staff, campaignId, acme.callerId)).toEqual({
      ok: false,
      message: 'This call is assigned to someone else: only they and the CCO can see or log it.',
    });
    const otherCaller = acme.callerId === ana.userId ? ben : ana;
    expect(await services.callerCards(otherCaller, campaignId, acme.callerId)).toMatchObject({ ok: false });

    const forCco = await services.callerCards(cco, campaignId, acme.callerId);
    expect(forCco.ok && forCco.cards.find((card) => card.customerName === 'Acme Stores')?.contact).toBe(acmeContact);

    // Leaders see the progress, which names no customer and no contact.
    const progress = await services.campaignProgress(leader, number);
    expect(progress.ok).toBe(true);
    expect(JSON.stringify(progress)).not.toContain(acmeContact);
    expect(JSON.stringify(progress)).not.toContain('Acme Stores');
  });

  it('counts calls done and open by caller, and the reasons so far', async () => {
    const calls = await callsOf(campaignId);
    const expected = [ana, ben].map((caller) => {
      const own = calls.filter((call) => call.callerId === caller.userId);
      return {
        callerId: caller.userId,
        done: own.filter((call) => call.status !== 'open').length,
        open: own.filter((call) => call.status === 'open').length,
      };
    });
    expect(expected.reduce((sum, caller) => sum + caller.done, 0)).toBe(4);

    const progress = await services.campaignProgress(leader, number);
    expect(progress).toEqual({
      ok: true,
      progress: {
        campaign: expect.objectContaining({ id: campaignId, number, status: 'active' }),
        callers: expected,
        reasons: [
          { reason: 'Delivery', customers: 1, value: 12_000 },
          { reason: 'Other: Moved abroad', customers: 1, value: 5_000 },
          { reason: 'Price', customers: 1, value: 9_000 },
        ],
      },
    });
    // Without a number, the latest campaign.
    expect(await services.campaignProgress(cco)).toMatchObject({ ok: true, progress: { campaign: { name: 'Bulk' } } });
    expect(await services.campaignProgress(staff, number)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Only the CCO or a leader can see how a call campaign is going/),
    });
    expect(await services.campaignProgress(leader, 99)).toEqual({ ok: false, message: 'There is no campaign #99.' });
  });

  it('lets the CCO move a caller’s open calls, and only those, to someone else, who is sent them', async () => {
    const before = await callsOf(campaignId);
    const from = before.find((call) => call.status === 'open')!.callerId;
    const open = before.filter((call) => call.callerId === from && call.status === 'open');
    const done = before.filter((call) => call.callerId === from && call.status !== 'open');
    expect(open.length).toBeGreaterThan(0);
    expect(done.length).toBeGreaterThan(0);

    expect(await services.reassignCalls(staff, from, cleo.userId, number)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Only the CCO/),
    });
    expect(await services.reassignCalls(cco, from, from, number)).toEqual({
      ok: false,
      message: 'Those are the same person.',
    });
    expect(await services.reassignCalls(cco, 'UNOBODY', cleo.userId, number)).toEqual({
      ok: false,
      message: 'That person has no open calls in this campaign. Nothing was moved.',
    });

    const moved = await services.reassignCalls(cco, from, cleo.userId, number);
    expect(moved).toEqual({
      ok: true,
      message: `Moved ${open.length} open ${open.length === 1 ? 'call' : 'calls'} in campaign #${number}; the new caller gets them in a direct message.`,
    });
    const after = await callsOf(campaignId);
    expect(
      after
        .filter((call) => call.callerId === cleo.userId)
        .map((call) => call.id)
        .sort(),
    ).toEqual(open.map((call) => call.id).sort());
    expect(
      after
        .filter((call) => call.callerId === from)
        .map((call) => call.id)
        .sort(),
    ).toEqual(done.map((call) => call.id).sort());

    const notices = (await noticesOf('campaignCalls', campaignId)).filter((notice) => notice.target === cleo.userId);
    expect(notices.map((notice) => notice.content)).toEqual([
      expect.objectContaining({ callerId: cleo.userId, part: 0, calls: open.length }),
    ]);
    // Cleo now sees the contacts of the calls she was given; the previous caller no longer does.
    const cleoCards = await services.callerCards(cleo, campaignId, cleo.userId);
    expect(cleoCards.ok && cleoCards.cards.map((card) => card.callId).sort()).toEqual(
      open.map((call) => call.id).sort(),
    );
    expect(await services.logCall({ platform: 'slack', userId: from }, open[0]!.id, { reached: false })).toMatchObject({
      ok: false,
      message: expect.stringContaining('assigned to someone else'),
    });
  });

  it('sends the list again to a caller whose calls were moved away and then back', async () => {
    // Cleo is away: her calls go to Dan; back again when she returns.
    expect(await services.reassignCalls(cco, cleo.userId, dan.userId, number)).toMatchObject({ ok: true });
    expect(await services.reassignCalls(cco, dan.userId, cleo.userId, number)).toMatchObject({ ok: true });
    const toCleo = (await noticesOf('campaignCalls', campaignId)).filter((notice) => notice.target === cleo.userId);
    expect(toCleo).toHaveLength(2);
    expect(new Set(toCleo.map((notice) => notice.key)).size).toBe(2);
  });

  it('closes the campaign with a summary to the leadership channels; calls can no longer be logged', async () => {
    await deliveryStore(db).subscribe({ platform: 'slack', channelId: 'CLEADERS' }, cco.userId);
    expect(await services.changeCampaign(staff, number, 'close')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Only the CCO/),
    });
    expect(await services.changeCampaign(cco, number, 'pause')).toEqual({
      ok: true,
      message: `Campaign #${number} is paused: no reminders go out until it resumes.`,
    });
    expect(await services.changeCampaign(cco, number, 'resume')).toEqual({
      ok: true,
      message: `Campaign #${number} is running again.`,
    });

    expect(await services.changeCampaign(cco, number, 'close')).toEqual({
      ok: true,
      message: `Campaign #${number} is closed, and its summary is going to the leadership channels.`,
    });
    const summaries = await noticesOf('campaignSummary');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({ target: 'CLEADERS', toUser: false, platform: 'slack' });
    expect(summaries[0]!.content).toEqual({
      kind: 'campaignSummary',
      campaignNumber: number,
      name: 'March leavers',
      reached: 3,
      unreachable: 1,
      open: 2,
      reasons: [
        { reason: 'Delivery', customers: 1, value: 12_000 },
        { reason: 'Other: Moved abroad', customers: 1, value: 5_000 },
        { reason: 'Price', customers: 1, value: 9_000 },
      ],
    });
    expect(JSON.stringify(summaries[0]!.payload)).not.toContain(acmeContact);

    const open = (await callsOf(campaignId)).find((call) => call.status === 'open')!;
    expect(told(await services.logCall(cco, open.id, { reached: false }))).toEqual({
      ok: false,
      message: `Campaign #${number} is closed, so calls can no longer be logged.`,
    });
    expect(await services.changeCampaign(cco, number, 'close')).toEqual({
      ok: false,
      message: `Campaign #${number} is already closed.`,
    });
    expect(await services.reassignCalls(cco, open.callerId, ana.userId, number)).toEqual({
      ok: false,
      message: 'There is no open campaign to reassign calls in.',
    });
  });
});

describe('reminders', () => {
  const remy: Person = { platform: 'slack', userId: 'UREMY' };
  const rita: Person = { platform: 'slack', userId: 'URITA' };
  let campaignId: string;
  const reminders = async () => noticesOf('campaignReminder', campaignId);

  beforeAll(async () => {
    at('2026-04-20T10:00:00Z'); // Monday, a week before the due date
    const result = await start(cco, {
      name: 'Wholesale',
      lostFrom: '2026-04-01',
      lostUntil: '2026-04-15',
      segments: ['Wholesale'],
      minValue: 0,
      callers: [remy.userId, rita.userId],
      dueOn: '2026-04-27',
    });
    expect(result.ok).toBe(true);
    campaignId = result.campaign!.id;
    // Remy's one call is done; Rita has two still to make.
    const calls = await callsOf(campaignId);
    expect(calls.map((call) => call.callerId)).toEqual([remy.userId, rita.userId, rita.userId]);
    expect(await services.logCall(remy, calls[0]!.id, { reached: false })).toMatchObject({ ok: true });
  });

  it('are not sent more than three days before the due date', async () => {
    expect(await services.queueReminders()).toEqual({ reminders: 0 });
    expect(await reminders()).toEqual([]);
  });

  it('are never sent on a weekend in the organisation’s time zone', async () => {
    at('2026-04-24T22:30:00Z'); // still Friday in UTC, already Saturday in Paris
    expect(await services.queueReminders()).toEqual({ reminders: 0 });
    at('2026-04-26T10:00:00Z'); // Sunday
    expect(await services.queueReminders()).toEqual({ reminders: 0 });
    expect(await reminders()).toEqual([]);
  });

  it('go once a day to callers with open calls, and not while the campaign is paused or after the due date', async () => {
    at('2026-04-24T07:00:00Z'); // Friday morning, three days before the due date
    await services.queueReminders();
    const first = await reminders();
    expect(first.map((notice) => [notice.target, notice.toUser])).toEqual([[rita.userId, true]]);
    expect(first[0]!.content).toEqual({
      kind: 'campaignReminder',
      campaignId,
      campaignNumber: expect.any(Number),
      name: 'Wholesale',
      dueOn: '2026-04-27',
      open: 2,
    });

    at('2026-04-24T15:00:00Z'); // the same day, another run (or another process)
    await services.queueReminders();
    expect(await reminders()).toHaveLength(1);

    const number = (await db.campaign.findUniqueOrThrow({ where: { id: campaignId } })).number;
    expect(await services.changeCampaign(cco, number, 'pause')).toMatchObject({ ok: true });
    at('2026-04-27T07:00:00Z'); // Monday, the due date
    expect(await services.queueReminders()).toEqual({ reminders: 0 });
    expect(await services.changeCampaign(cco, number, 'resume')).toMatchObject({ ok: true });
    await services.queueReminders();
    expect((await reminders()).map((notice) => notice.target)).toEqual([rita.userId, rita.userId]);

    at('2026-04-28T07:00:00Z'); // the day after
    expect(await services.queueReminders()).toEqual({ reminders: 0 });
    expect(await reminders()).toHaveLength(2);
  });
});

describe('why customers left, in the digest', () => {
  it('counts the week’s logged calls by reason and stage, with stories built from the calls', async () => {
    at('2026-03-18T10:00:00Z');
    const result = await start(cco, { name: 'Retail leavers', segments: ['Retail'], callers: ['UDIG'] });
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('2 lost customers') });
    const calls = await callsOf(result.campaign!.id);
    const caller: Person = { platform: 'slack', userId: 'UDIG' };

    at('2026-03-25T10:00:00Z'); // logged in the week of Monday 23 March
    const acme = calls.find((call) => call.customer.name === 'Acme Stores')!;
    const bakers = calls.find((call) => call.customer.name === 'Bakers Row')!;
    expect(
      await services.logCall(caller, acme.id, {
        reached: true,
        reason: await categoryId('Delivery'),
        stageId: await stageId('Use'),
        verbatim: 'Three deliveries failed in March and nobody called us.',
        mightReturn: 'maybe',
      }),
    ).toMatchObject({ ok: true });
    expect(
      await services.logCall(caller, bakers.id, { reached: true, reason: 'other', reasonOther: 'Moved abroad' }),
    ).toMatchObject({ ok: true });

    const digest = await services.digestFor('2026-03-23');
    const section = digest.sections.find((candidate) => candidate.kind === 'departures');
    expect(section).toBeDefined();
    if (section?.kind !== 'departures') return;
    expect(section.report.calls).toBe(2);
    expect(section.report.reasons).toEqual([
      { reason: 'Delivery', stageName: 'Use', customers: 1, value: 12_000 },
      { reason: 'Other', stageName: null, customers: 1, value: 5_000 },
    ]);
    // With no OpenAI key, the template: the customer's first win six years before the loss makes a 6-year customer.
    expect(section.report.stories).toEqual([
      'A 6-year customer in Retail (€12,000) left in March over delivery at the Use stage. In their words: “Three deliveries failed in March and nobody called us.” They might come back if it is fixed.',
      'A 5-month customer in Retail (€5,000) left in March over moved abroad.',
    ]);
    // No names, no contacts in what leaders read.
    expect(JSON.stringify(digest)).not.toContain('Acme Stores');
    expect(JSON.stringify(digest)).not.toContain(acmeContact);

    // The week before holds the other campaign's calls, not these.
    const before = (await services.digestFor('2026-03-16')).sections.find(
      (candidate) => candidate.kind === 'departures',
    );
    expect(
      before?.kind === 'departures' && before.report.stories.some((story) => story.includes('nobody called us')),
    ).toBe(false);
    // A week with no logged calls has no such section.
    expect((await services.digestFor('2026-03-30')).sections.some((candidate) => candidate.kind === 'departures')).toBe(
      false,
    );
  });
});
