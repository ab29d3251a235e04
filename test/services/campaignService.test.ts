// The campaign service's refusals name the input they are about, so a form shows each
// under its field whatever the words; and the start form is only for the CCO.
import { describe, expect, it } from 'vitest';
import type { CampaignInput, CampaignStore, CampaignSummary, LostCustomer } from '../../src/domain/campaigns.js';
import type { Person } from '../../src/domain/people.js';
import { createCampaignService } from '../../src/services/campaignService.js';
import { peopleWith } from './fakes.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const staff: Person = { platform: 'slack', userId: 'USTAFF' };
const ana: Person = { platform: 'slack', userId: 'UANA' };
const lost: LostCustomer = {
  customerId: 'c1',
  name: 'Acme',
  segment: 'Retail',
  valueLost: 1200,
  lostAt: new Date('2026-03-04T12:00:00Z'),
};
const open: CampaignSummary = {
  id: 'camp-1',
  number: 3,
  name: 'March leavers',
  status: 'active',
  dueOn: '2026-03-20',
  guidance: '',
  platform: 'slack',
};
const callId = '11111111-1111-4111-8111-111111111111';

/** A store holding one lost customer from March and one open call for Ana; `created` collects started campaigns. */
function campaignStore(created: unknown[] = []): CampaignStore {
  const unused = () => {
    throw new Error('not used by these tests');
  };
  return {
    lostCustomers: async (filter) =>
      filter.lostFrom <= '2026-03-04' && filter.lostUntil >= '2026-03-04' ? [lost] : [],
    createCampaign: async (campaign) => {
      created.push(campaign);
      return { ...open, name: campaign.name };
    },
    callById: async (id) =>
      id === callId ? { id, campaign: open, callerId: ana.userId, part: 1, status: 'open' } : null,
    recordCall: async () => {},
    segments: async () => ['Enterprise', 'Retail'],
    campaignByNumber: unused,
    latestCampaign: unused,
    cards: unused,
    progress: unused,
    reasons: unused,
    reassign: unused,
    setStatus: unused,
    callersToRemind: unused,
    queue: unused,
    digestChannels: unused,
  };
}

function campaignService(now = new Date('2026-03-16T09:00:00Z'), timeZone = 'Europe/London', created: unknown[] = []) {
  return createCampaignService({
    campaigns: campaignStore(created),
    people: peopleWith([], { slack: [cco.userId], teams: [] }),
    timeZone,
    clock: () => now,
    thenSend: (result) => result,
    sendNotices: () => {},
  });
}

const march: CampaignInput = {
  name: 'March leavers',
  lostFrom: '2026-03-01',
  lostUntil: '2026-03-15',
  segments: [],
  minValue: 0,
  callers: [ana.userId],
  dueOn: '2026-03-20',
  guidance: '',
};

describe('starting a campaign', () => {
  it.each<[string, Partial<CampaignInput>, string]>([
    ['a missing name', { name: '  ' }, 'name'],
    ['a period with no start', { lostFrom: '' }, 'lostFrom'],
    ['a period that ends before it starts', { lostFrom: '2026-03-10', lostUntil: '2026-03-01' }, 'lostUntil'],
    ['a negative minimum value', { minValue: -5 }, 'minValue'],
    ['nobody to call', { callers: [] }, 'callers'],
    ['no due date', { dueOn: '' }, 'dueOn'],
    ['a due date already passed', { dueOn: '2026-03-15' }, 'dueOn'],
    ['guidance too long', { guidance: 'x'.repeat(2001) }, 'guidance'],
  ])('refuses %s, naming that field, and starts nothing', async (_what, change, field) => {
    const created: unknown[] = [];
    const answer = await campaignService(undefined, undefined, created).startCampaign(cco, { ...march, ...change });
    expect(answer).toEqual({ ok: false, code: 'invalid', field, message: expect.any(String) });
    expect(created).toEqual([]);
  });

  it('puts "nobody lost in that period" under the period', async () => {
    const answer = await campaignService().startCampaign(cco, {
      ...march,
      lostFrom: '2026-02-01',
      lostUntil: '2026-02-28',
    });
    expect(answer).toEqual({
      ok: false,
      code: 'nothingToCall',
      field: 'lostUntil',
      message:
        'No lost customers match that period, those segments and that minimum value, so no campaign was started.',
    });
  });

  it('refuses staff without naming a field', async () => {
    const answer = await campaignService().startCampaign(staff, march);
    expect(answer).toEqual({
      ok: false,
      code: 'notAllowed',
      message: expect.stringMatching(/^Only the CCO can start/),
    });
  });

  it('starts one when every field is right', async () => {
    const created: unknown[] = [];
    expect(await campaignService(undefined, undefined, created).startCampaign(cco, march)).toMatchObject({
      ok: true,
      campaign: { number: 3 },
    });
    expect(created).toHaveLength(1);
  });
});

describe('the start form', () => {
  it('is only for the CCO', async () => {
    expect(await campaignService().campaignStartForm(staff)).toMatchObject({ ok: false, code: 'notAllowed' });
  });

  it('offers the segments and today as the organisation counts days', async () => {
    // 23:30 in London on 16 March is already 17 March in Auckland.
    const lateEvening = new Date('2026-03-16T23:30:00Z');
    expect(await campaignService(lateEvening, 'Europe/London').campaignStartForm(cco)).toEqual({
      ok: true,
      segments: ['Enterprise', 'Retail'],
      today: '2026-03-16',
    });
    expect(await campaignService(lateEvening, 'Pacific/Auckland').campaignStartForm(cco)).toEqual({
      ok: true,
      segments: ['Enterprise', 'Retail'],
      today: '2026-03-17',
    });
  });
});

describe('logging a call', () => {
  it('names the reason field when the reason is what is missing', async () => {
    const service = campaignService();
    expect(await service.logCall(ana, callId, { reached: true })).toMatchObject({
      ok: false,
      code: 'invalid',
      field: 'reason',
    });
    expect(await service.logCall(ana, callId, { reached: true, reason: 'other' })).toMatchObject({
      ok: false,
      code: 'invalid',
      field: 'reason',
    });
  });

  it('names no field for a call that is gone or someone else’s', async () => {
    const service = campaignService();
    const gone = await service.logCall(ana, '22222222-2222-4222-8222-222222222222', { reached: false });
    expect(gone).toMatchObject({ ok: false, code: 'notFound' });
    expect(gone).not.toHaveProperty('field');
    expect(await service.logCall(staff, callId, { reached: false })).toEqual({
      ok: false,
      code: 'notAllowed',
      message: 'This call is assigned to someone else: only they and the CCO can see or log it.',
    });
    expect(await service.logCall(ana, callId, { reached: false })).toMatchObject({
      ok: true,
      message: 'Marked as not reached.',
    });
  });
});
