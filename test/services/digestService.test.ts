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
    expect(allowed).toEqual({ ok: true, compose: expect.any(Function) });
  });
});
