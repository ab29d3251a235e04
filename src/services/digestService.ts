// The weekly customer asset digest: composing it, the channels that get it, posting it now,
// and private links to its page. Who may do what, and the words of every answer, live here.
import { composeDigest, type Digest, type DigestSettings, type DigestStore } from '../domain/digest.js';
import {
  deliverWeeklyDigest,
  resumeWeeklyDigest,
  type Channel,
  type DeliveryDeps,
  type DeliveryStore,
  type DigestPoster,
} from '../domain/delivery.js';
import type { StoryWriter } from '../domain/departures.js';
import { chartLinkValidMs, digestLink, type AnswerAudience, type DigestLinkMaker } from '../domain/digestLinks.js';
import { movementHistory } from '../domain/movementHistory.js';
import { periodOf } from '../domain/periods.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import type { People, Person, Platform } from '../domain/people.js';
import { weekJustEnded, type WeekStart } from '../domain/weeks.js';
import type { Log } from '../logger.js';
import { describeDigestSchedule } from '../schedule/digestCron.js';

/** A crashed process's claim is taken over after this long; a digest post takes seconds. */
export const deliveryLeaseMs = 5 * 60_000;

/** How each platform names the place a command was typed in. */
export const placeNames: Record<Platform, string> = { slack: 'channel', teams: 'conversation' };

export type DigestSubscribed =
  | { ok: true; code: 'subscribed' | 'alreadySubscribed'; message: string }
  | Refusal<'notAllowed'>;
export type DigestUnsubscribed =
  | { ok: true; code: 'unsubscribed' | 'notSubscribed'; message: string }
  | Refusal<'notAllowed'>;
/** Allowed to post now: `compose` puts last week's digest together (a model may write its story, so it can take seconds). */
export type DigestNow = { ok: true; compose: () => Promise<Digest> } | Refusal<'notAllowed'>;

export interface DigestServiceDeps {
  settings: DigestSettings;
  digests: DigestStore;
  digestCron: string;
  deliveries: DeliveryStore;
  people: People;
  storyWriter: StoryWriter;
  worker: string;
  clock: () => Date;
  log: Log;
}

export function createDigestService(deps: DigestServiceDeps) {
  const { settings, digests, deliveries, people, clock, log } = deps;
  const posters: DigestPoster[] = [];
  const deliveryDeps: DeliveryDeps = {
    deliveries,
    digests,
    settings,
    posters,
    worker: deps.worker,
    leaseMs: deliveryLeaseMs,
    clock,
    log,
    storyWriter: deps.storyWriter,
  };
  const scheduleWords = describeDigestSchedule(deps.digestCron, settings.timeZone);
  // Set once the HTTP server knows its address; unset while no platform is connected.
  let digestLinkMaker: DigestLinkMaker | undefined;
  const lastWeek = () => weekJustEnded(clock(), settings.timeZone);
  const digestFor = (weekStart: WeekStart) => composeDigest(digests, weekStart, settings, deps.storyWriter);

  return {
    /** Platforms register how they post, once they are connected. */
    addPoster: (poster: DigestPoster) => posters.push(poster),
    lastWeek,
    digestFor,
    /** The last 13 weeks of customers won and lost up to this week, for the chart alone. */
    movementHistoryFor: (weekStart: WeekStart) =>
      movementHistory(digests, periodOf('week', weekStart), settings.timeZone, settings.locale),
    /** A private link to the week's chart for cards that fetch pictures; undefined until the bot knows its address. */
    movementChartUrl: (weekStart: WeekStart): string | undefined =>
      digestLinkMaker?.chartLink?.(weekStart, new Date(clock().getTime() + chartLinkValidMs)),
    /** Last week's digest, for anyone who asks to see it. */
    previewDigest: () => digestFor(lastWeek()),
    deliverDigest: (weekStart: WeekStart) => deliverWeeklyDigest(deliveryDeps, weekStart),
    resumeDigest: (weekStart: WeekStart) => resumeWeeklyDigest(deliveryDeps, weekStart),
    /** Where the digest goes, for operators and tests. */
    digestSubscriptions: () => deliveries.subscriptions(),
    /** `beforeStoring`: what the platform must do first once allowed (Slack joins a public channel), so a failure there stores nothing. */
    subscribeDigest: async (
      by: Person,
      channel: Channel,
      beforeStoring?: () => Promise<void>,
    ): Promise<DigestSubscribed> => {
      const permission = await people.may(by, 'subscribeChannel');
      if (!permission.allowed) return notAllowed(permission);
      await beforeStoring?.();
      const place = placeNames[channel.platform];
      const result = await deliveries.subscribe(channel, by.userId);
      return result === 'subscribed'
        ? {
            ok: true,
            code: 'subscribed',
            message: `This ${place} will get the customer asset digest ${scheduleWords}.`,
          }
        : { ok: true, code: 'alreadySubscribed', message: `This ${place} already gets the digest ${scheduleWords}.` };
    },
    unsubscribeDigest: async (by: Person, channel: Channel): Promise<DigestUnsubscribed> => {
      const permission = await people.may(by, 'subscribeChannel');
      if (!permission.allowed) return notAllowed(permission);
      const place = placeNames[channel.platform];
      const result = await deliveries.unsubscribe(channel);
      return result === 'unsubscribed'
        ? { ok: true, code: 'unsubscribed', message: `This ${place} will no longer get the Monday digest.` }
        : { ok: true, code: 'notSubscribed', message: `This ${place} was not subscribed, so nothing changed.` };
    },
    digestNow: async (by: Person): Promise<DigestNow> => {
      const permission = await people.may(by, 'postDigestNow');
      if (!permission.allowed) return notAllowed(permission);
      return { ok: true, compose: () => digestFor(lastWeek()) };
    },
    useDigestLinks: (maker: DigestLinkMaker) => {
      digestLinkMaker = maker;
    },
    digestLink: (by: Person, week: string | undefined, audience: AnswerAudience) =>
      digestLink(
        { people, maker: digestLinkMaker, clock, timeZone: settings.timeZone, locale: settings.locale, log },
        by,
        week,
        audience,
      ),
    /** The bot was removed from a conversation: the digest stops going there, as it could only fail every Monday. */
    botRemovedFrom: (channel: Channel) => deliveries.unsubscribe(channel).then(() => undefined),
    /** The bot can no longer post in this channel (archived, deleted, the bot removed): its subscriptions end. */
    channelGone: (channel: Channel) => deliveries.endSubscriptions(channel),
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
