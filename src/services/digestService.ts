// The customer asset digest of a week, month, quarter or year: composing it, the channels
// that get it, posting it now, and private links to its page. Who may do what, and the words
// of every answer, live here.
import { composeDigest, type Digest, type DigestSettings, type DigestStore } from '../domain/digest.js';
import {
  deliverDigest,
  digestPurposes,
  resumeDigest,
  type Channel,
  type ChannelPurpose,
  type DeliveryDeps,
  type DeliveryReport,
  type DeliveryStore,
  type DigestPoster,
} from '../domain/delivery.js';
import type { StoryWriter } from '../domain/departures.js';
import { chartLinkValidMs, digestLink, type AnswerAudience, type DigestLinkMaker } from '../domain/digestLinks.js';
import { movementHistory, periodCharted } from '../domain/movementHistory.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import { commandFor, type People, type Person, type Platform } from '../domain/people.js';
import {
  asPeriod,
  cadences,
  isDue,
  parseCadence,
  parsePeriod,
  periodJustEnded,
  periodKinds,
  periodTitle,
  type Cadence,
  type Period,
  type PeriodKind,
} from '../domain/periods.js';
import { weekJustEnded, type WeekStart } from '../domain/weeks.js';
import type { Log } from '../logger.js';
import { describeDigestSchedule, describePeriodSchedule } from '../schedule/digestCron.js';

/** A crashed process's claim is taken over after this long; a digest post takes seconds. */
export const deliveryLeaseMs = 5 * 60_000;

/** How each platform names the place a command was typed in. */
export const placeNames: Record<Platform, string> = { slack: 'channel', teams: 'conversation' };

/** Text that names no period (or no cadence): nothing was shown, posted or stored. */
export type BadPeriod = Refusal<'badPeriod', 'period'>;

export type DigestSubscribed =
  | { ok: true; code: 'subscribed' | 'alreadySubscribed'; message: string }
  | Refusal<'notAllowed'>
  | BadPeriod;
export type DigestUnsubscribed =
  | { ok: true; code: 'unsubscribed' | 'notSubscribed'; message: string }
  | Refusal<'notAllowed'>
  | BadPeriod;
/** `compose` puts the period's digest together (a model may write its story, so it can take seconds). */
export type DigestToShow =
  | {
      ok: true;
      period: Period /** "October 2026", for a placeholder. */;
      title: string;
      compose: () => Promise<Digest>;
    }
  | BadPeriod;
/** Allowed to post now, as for a preview. */
export type DigestNow = DigestToShow | Refusal<'notAllowed'>;

/** What a person may type for a period, in the platform's own way of showing a command. */
export function periodChoices(platform: Platform): string {
  return `week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in ${commandFor(platform, 'digest preview 2026-Q3')}`;
}

const cadenceNames: Record<Cadence, string> = {
  weekly: 'Monday',
  monthly: 'monthly',
  quarterly: 'quarterly',
  yearly: 'yearly',
};

function listWords(words: string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

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
  const scheduleWords = (kind: PeriodKind) =>
    kind === 'week'
      ? describeDigestSchedule(deps.digestCron, settings.timeZone)
      : describePeriodSchedule(deps.digestCron, settings.timeZone, kind);
  // Set once the HTTP server knows its address; unset while no platform is connected.
  let digestLinkMaker: DigestLinkMaker | undefined;
  const lastWeek = () => weekJustEnded(clock(), settings.timeZone);
  const justEnded = (kind: PeriodKind) => periodJustEnded(kind, clock(), settings.timeZone);
  const digestFor = (period: Period | WeekStart) =>
    composeDigest(digests, asPeriod(period), settings, deps.storyWriter);

  /** The period a person typed (last week when they typed none), or why it is not one. */
  function periodFrom(text: string | undefined, platform: Platform, nothingDone: string): Period | BadPeriod {
    const typed = text?.trim();
    if (!typed) return justEnded('week');
    const period = parsePeriod(typed, clock(), settings.timeZone);
    if (period) return period;
    return {
      ok: false,
      code: 'badPeriod',
      field: 'period',
      message: `“${typed.slice(0, 40)}” is not a period I know. Try ${periodChoices(platform)}. ${nothingDone}`,
    };
  }
  const toShow = (period: Period | BadPeriod): DigestToShow =>
    'ok' in period
      ? period
      : { ok: true, period, title: periodTitle(period, settings.locale), compose: () => digestFor(period) };

  /** The cadence a person typed (weekly when they typed none), or why it is not one. */
  function cadenceFrom(text: string | undefined, nothingDone: string): Cadence | BadPeriod {
    if (!text?.trim()) return 'weekly';
    const cadence = parseCadence(text);
    if (cadence) return cadence;
    return {
      ok: false,
      code: 'badPeriod',
      field: 'period',
      message: `“${text.trim().slice(0, 40)}” is not how often I post the digest: try weekly, monthly, quarterly or yearly. ${nothingDone}`,
    };
  }

  async function deliverEach(periods: Period[], run: (period: Period) => Promise<DeliveryReport | null>) {
    const reports: DeliveryReport[] = [];
    // One period after another: each posts to its own channels, four at a time.
    for (const period of periods) {
      const report = await run(period);
      if (report) reports.push(report);
    }
    return reports;
  }

  return {
    /** Platforms register how they post, once they are connected. */
    addPoster: (poster: DigestPoster) => posters.push(poster),
    lastWeek,
    /** The last complete period of `kind`: what its digest reports. */
    periodJustEnded: justEnded,
    /** The digest of a period; a string is a week, named by its Monday. */
    digestFor,
    /** The chart of a digest about `period` (or the week starting that Monday): 13 weeks, or the 13 months up to its end. */
    movementHistoryFor: (period: Period | WeekStart) =>
      movementHistory(digests, periodCharted(asPeriod(period)), settings.timeZone, settings.locale),
    /** A private link to the period's chart for cards that fetch pictures; undefined until the bot knows its address. */
    movementChartUrl: (period: Period): string | undefined =>
      digestLinkMaker?.chartLink?.(period, new Date(clock().getTime() + chartLinkValidMs)),
    /** The digest of the period typed (last week when none), for anyone who asks to see it. */
    previewDigest: async (periodText?: string, platform: Platform = 'slack'): Promise<DigestToShow> =>
      toShow(periodFrom(periodText, platform, 'Nothing was shown.')),
    deliverDigest: (period: Period | WeekStart) => deliverDigest(deliveryDeps, asPeriod(period)),
    resumeDigest: (period: Period | WeekStart) => resumeDigest(deliveryDeps, asPeriod(period)),
    /**
     * What the schedule runs: the digest of each kind of period whose delivery day has come (every
     * week; a month, quarter or year on the first Monday after it ends), each exactly once.
     */
    deliverDueDigests: (instant: Date) =>
      deliverEach(
        periodKinds
          .map((kind) => periodJustEnded(kind, instant, settings.timeZone))
          .filter((period) => isDue(period, instant, settings.timeZone)),
        (period) => deliverDigest(deliveryDeps, period),
      ),
    /** Finishes any run a crash interrupted, for the periods just ended. */
    resumeDigests: () =>
      deliverEach(
        periodKinds.map((kind) => justEnded(kind)),
        (period) => resumeDigest(deliveryDeps, period),
      ),
    /** Where the digest goes, for operators and tests: the weekly digest unless another purpose is named. */
    digestSubscriptions: (purpose?: ChannelPurpose) => deliveries.subscriptions(purpose),
    /**
     * `beforeStoring`: what the platform must do first once allowed (Slack joins a public channel), so a
     * failure there stores nothing. `cadenceText`: weekly (the default), monthly, quarterly or yearly.
     */
    subscribeDigest: async (
      by: Person,
      channel: Channel,
      beforeStoring?: () => Promise<void>,
      cadenceText?: string,
    ): Promise<DigestSubscribed> => {
      const permission = await people.may(by, 'subscribeChannel');
      if (!permission.allowed) return notAllowed(permission);
      const cadence = cadenceFrom(cadenceText, 'Nothing was changed.');
      if (typeof cadence !== 'string') return cadence;
      await beforeStoring?.();
      const place = placeNames[channel.platform];
      const kind = cadences[cadence];
      const result = await deliveries.subscribe(channel, by.userId, digestPurposes[kind]);
      const which = cadence === 'weekly' ? 'the customer asset digest' : `the ${cadence} customer asset digest`;
      const short = cadence === 'weekly' ? 'the digest' : `the ${cadence} digest`;
      return result === 'subscribed'
        ? { ok: true, code: 'subscribed', message: `This ${place} will get ${which} ${scheduleWords(kind)}.` }
        : {
            ok: true,
            code: 'alreadySubscribed',
            message: `This ${place} already gets ${short} ${scheduleWords(kind)}.`,
          };
    },
    /** Without a cadence, every digest this channel gets stops. */
    unsubscribeDigest: async (by: Person, channel: Channel, cadenceText?: string): Promise<DigestUnsubscribed> => {
      const permission = await people.may(by, 'subscribeChannel');
      if (!permission.allowed) return notAllowed(permission);
      const place = placeNames[channel.platform];
      let chosen = Object.keys(cadences) as Cadence[];
      if (cadenceText?.trim()) {
        const cadence = cadenceFrom(cadenceText, 'Nothing was changed.');
        if (typeof cadence !== 'string') return cadence;
        chosen = [cadence];
      }
      const ended: Cadence[] = [];
      for (const cadence of chosen)
        if ((await deliveries.unsubscribe(channel, digestPurposes[cadences[cadence]])) === 'unsubscribed')
          ended.push(cadence);
      return ended.length
        ? {
            ok: true,
            code: 'unsubscribed',
            message: `This ${place} will no longer get the ${listWords(ended.map((cadence) => cadenceNames[cadence]))} ${ended.length === 1 ? 'digest' : 'digests'}.`,
          }
        : { ok: true, code: 'notSubscribed', message: `This ${place} was not subscribed, so nothing changed.` };
    },
    digestNow: async (by: Person, periodText?: string): Promise<DigestNow> => {
      const permission = await people.may(by, 'postDigestNow');
      if (!permission.allowed) return notAllowed(permission);
      return toShow(periodFrom(periodText, by.platform, 'Nothing was posted.'));
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
    /** The bot was removed from a conversation: every digest stops going there, as it could only fail every Monday. */
    botRemovedFrom: async (channel: Channel) => {
      for (const kind of periodKinds) await deliveries.unsubscribe(channel, digestPurposes[kind]);
    },
    /** The bot can no longer post in this channel (archived, deleted, the bot removed): its subscriptions end. */
    channelGone: (channel: Channel) => deliveries.endSubscriptions(channel),
  };
}

export type DigestService = ReturnType<typeof createDigestService>;
