// The digest service's answers to subscribe, unsubscribe and "post now": who may, what is
// stored, and the words, the same for Slack and Teams but for what each calls the place.
import { describe, expect, it, vi } from 'vitest';
import type { DigestStore } from '../../src/domain/digest.js';
import { templateStoryWriter } from '../../src/domain/departures.js';
import type { Person } from '../../src/domain/people.js';
import { createDigestService } from '../../src/services/digestService.js';
import { peopleWith, subscriptionsInMemory } from './fakes.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const leader: Person = { platform: 'teams', userId: 'aad-leader' };
const staff: Person = { platform: 'slack', userId: 'USTAFF' };
const slackChannel = { platform: 'slack' as const, channelId: 'CLEADERS' };
const teamsChannel = { platform: 'teams' as const, channelId: '19:leaders@thread.tacv2' };

function digestService(digestCron = '0 8 * * 1') {
  const deliveries = subscriptionsInMemory();
  const service = createDigestService({
    settings: { timeZone: 'Europe/Paris', currency: 'EUR', locale: 'en-GB', showCustomerNames: false },
    digestCron,
    // Never read: composing a digest is tested on a real database elsewhere.
    digests: {} as DigestStore,
    deliveries,
    people: peopleWith([[leader, 'leader']], { slack: [cco.userId], teams: [] }),
    storyWriter: templateStoryWriter,
    worker: 'test',
    clock: () => new Date('2026-11-18T10:00:00Z'),
    log: () => {},
  });
  return { service, deliveries };
}

describe('subscribing a channel to the digest', () => {
  it('refuses staff with the reason, stores nothing and does not let the platform prepare', async () => {
    const { service, deliveries } = digestService();
    const prepare = vi.fn(async () => {});
    const answer = await service.subscribeDigest(staff, slackChannel, prepare);
    expect(answer).toEqual({
      ok: false,
      code: 'notAllowed',
      message: expect.stringMatching(/^Only the CCO or a leader can subscribe or unsubscribe a channel/),
    });
    expect(prepare).not.toHaveBeenCalled();
    expect(deliveries.rows).toEqual([]);
  });

  it('subscribes once, in the words of the schedule, after the platform has prepared', async () => {
    const { service, deliveries } = digestService();
    const prepare = vi.fn(async () => expect(deliveries.rows).toEqual([]));
    expect(await service.subscribeDigest(cco, slackChannel, prepare)).toEqual({
      ok: true,
      code: 'subscribed',
      message: 'This channel will get the customer asset digest every Monday at 08:00 (Europe/Paris).',
    });
    expect(prepare).toHaveBeenCalledOnce();
    expect(await service.subscribeDigest(cco, slackChannel)).toEqual({
      ok: true,
      code: 'alreadySubscribed',
      message: 'This channel already gets the digest every Monday at 08:00 (Europe/Paris).',
    });
    expect(deliveries.rows).toMatchObject([{ ...slackChannel, purpose: 'digest', subscribedBy: cco.userId }]);
  });

  it('stores nothing when the platform could not prepare', async () => {
    const { service, deliveries } = digestService();
    await expect(
      service.subscribeDigest(cco, slackChannel, async () => Promise.reject(new Error('Slack is down'))),
    ).rejects.toThrow('Slack is down');
    expect(deliveries.rows).toEqual([]);
  });

  it('calls a Teams place a conversation, and names another schedule as written', async () => {
    const { service } = digestService('0 9 * * 2');
    expect(await service.subscribeDigest(leader, teamsChannel)).toMatchObject({
      code: 'subscribed',
      message: 'This conversation will get the customer asset digest on the schedule `0 9 * * 2` (Europe/Paris).',
    });
  });
});

describe('unsubscribing', () => {
  it('says whether anything changed, and refuses staff', async () => {
    const { service, deliveries } = digestService();
    await service.subscribeDigest(leader, teamsChannel);
    expect(await service.unsubscribeDigest(staff, slackChannel)).toMatchObject({ ok: false, code: 'notAllowed' });
    expect(await service.unsubscribeDigest(leader, teamsChannel)).toEqual({
      ok: true,
      code: 'unsubscribed',
      message: 'This conversation will no longer get the Monday digest.',
    });
    expect(await service.unsubscribeDigest(cco, slackChannel)).toEqual({
      ok: true,
      code: 'notSubscribed',
      message: 'This channel was not subscribed, so nothing changed.',
    });
    expect(deliveries.rows).toEqual([]);
  });
});

describe('posting the digest now', () => {
  it('is for the CCO and leaders; the digest is composed only when the platform asks', async () => {
    const { service } = digestService();
    expect(await service.digestNow(staff)).toMatchObject({
      ok: false,
      code: 'notAllowed',
      message: expect.stringContaining('post the digest to a channel'),
    });
    const allowed = await service.digestNow(leader);
    expect(allowed).toEqual({
      ok: true,
      period: expect.objectContaining({ name: '2026-11-09' }),
      title: expect.stringMatching(/^week of 9\s?–\s?15 Nov 2026$/),
      compose: expect.any(Function),
    });
  });
});

describe('digests of other periods', () => {
  it('subscribes a channel to the monthly or quarterly story, beside the weekly one', async () => {
    const { service, deliveries } = digestService();
    expect(await service.subscribeDigest(cco, slackChannel, undefined, 'monthly')).toEqual({
      ok: true,
      code: 'subscribed',
      message:
        'This channel will get the monthly customer asset digest on the first Monday after each month ends, at 08:00 (Europe/Paris).',
    });
    expect(await service.subscribeDigest(cco, slackChannel, undefined, 'Quarter')).toMatchObject({
      code: 'subscribed',
    });
    expect(await service.subscribeDigest(cco, slackChannel)).toMatchObject({ code: 'subscribed' });
    expect(deliveries.rows.map((row) => row.purpose).sort()).toEqual(['digest', 'monthlyDigest', 'quarterlyDigest']);
  });

  it('refuses a cadence it does not know before the platform prepares, and stores nothing', async () => {
    const { service, deliveries } = digestService();
    const prepare = vi.fn(async () => {});
    expect(await service.subscribeDigest(cco, slackChannel, prepare, 'fortnightly')).toEqual({
      ok: false,
      code: 'badPeriod',
      field: 'period',
      message:
        '“fortnightly” is not how often I post the digest: try weekly, monthly, quarterly or yearly. Nothing was changed.',
    });
    expect(prepare).not.toHaveBeenCalled();
    expect(deliveries.rows).toEqual([]);
  });

  it('unsubscribes one cadence when named, and every digest when not', async () => {
    const { service, deliveries } = digestService();
    for (const cadence of ['weekly', 'monthly', 'yearly'])
      await service.subscribeDigest(leader, teamsChannel, undefined, cadence);
    expect(await service.unsubscribeDigest(leader, teamsChannel, 'monthly')).toMatchObject({
      message: 'This conversation will no longer get the monthly digest.',
    });
    expect(await service.unsubscribeDigest(leader, teamsChannel)).toMatchObject({
      message: 'This conversation will no longer get the Monday and yearly digests.',
    });
    expect(deliveries.rows).toEqual([]);
  });

  it('previews the period typed, and says what it accepts when the text is not a period', async () => {
    const { service } = digestService();
    expect(await service.previewDigest('2026-Q3')).toMatchObject({
      ok: true,
      period: { kind: 'quarter', start: '2026-07-01', end: '2026-10-01' },
    });
    expect(await service.previewDigest('month')).toMatchObject({ ok: true, period: { name: '2026-10' } });
    const refused = await service.previewDigest('2026-Q5', 'teams');
    expect(refused).toMatchObject({ ok: false, code: 'badPeriod', field: 'period' });
    expect(refused.ok || refused.message).toBe(
      '“2026-Q5” is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in “digest preview 2026-Q3”. Nothing was shown.',
    );
    expect(await service.digestNow(leader, 'someday')).toMatchObject({
      ok: false,
      code: 'badPeriod',
      message: expect.stringMatching(/Nothing was posted\.$/),
    });
  });
});
