// The domain wired to the database: what the Slack and Teams adapters, the HTTP API,
// the schedule and the command-line tools all call, so each capability exists once.
import { randomUUID } from 'node:crypto';
import { openAiClassifier } from './ai/openaiClassifier.js';
import { openAiStoryWriter } from './ai/storyWriter.js';
import type { Config } from './config.js';
import { createLog, type Log } from './logger.js';
import { recordCustomerEventBatch } from './domain/customerEvents.js';
import { recordExternalFeedback, sortExternalBacklog, type ExternalChannel } from './domain/externalFeedback.js';
import { deliverWeeklyDigest, resumeWeeklyDigest, type Channel, type ChannelPurpose, type DeliveryDeps, type DigestPoster } from './domain/delivery.js';
import { callerCards, campaignProgress, changeCampaign, logCall, queueReminders, reassignCalls, startCampaign, type CallOutcome, type CampaignDeps, type CampaignInput } from './domain/campaigns.js';
import { composeDigest, type DigestSettings, type DigestStore } from './domain/digest.js';
import { digestLink, type AnswerAudience, type DigestLinkMaker } from './domain/digestLinks.js';
import { correctFeedback, logFeedback, reclassifyWaiting, sortFeedback, sortLeftBehind, type FeedbackCorrection, type FeedbackDeps, type FeedbackInput } from './domain/feedback.js';
import { resolveIssue } from './domain/hope.js';
import { mergeIssues, splitIssue } from './domain/issues.js';
import { sendDueNotices, undeliveredNotices, type NoticeDeps, type NoticeSender } from './domain/notices.js';
import { People, type Person, type Platform } from './domain/people.js';
import { Language, type VocabularyFile } from './domain/vocabulary.js';
import { weekJustEnded, type WeekStart } from './domain/weeks.js';
import { campaignStore, departuresStore } from './store/campaignStore.js';
import { customerAssetStore, customerEventStore } from './store/customerAssetStore.js';
import type { Db } from './store/database.js';
import { deliveryStore } from './store/deliveryStore.js';
import { externalFeedbackStore, feedbackStore } from './store/feedbackStore.js';
import { hopeStore, issueStore } from './store/issueStore.js';
import { listeningStore } from './store/listeningStore.js';
import { noticeStore } from './store/noticeStore.js';
import { roleStore } from './store/peopleStore.js';
import { vocabularyStore } from './store/vocabularyStore.js';
import { earlyWarningStore } from './store/warningStore.js';

/** `log(message, context)` logs at info; `{ level: 'warn' | 'error' | 'debug' }` in the context chooses another. */
export type { Log } from './logger.js';

export const consoleLog: Log = createLog();

/** A crashed process's claim is taken over after this long; a digest post takes seconds. */
export const deliveryLeaseMs = 5 * 60_000;
/** A notice is one message, but Slack's Retry-After can hold it a while; then another worker may look and retry. */
export const noticeLeaseMs = 5 * 60_000;
/** Feedback sorted at once in one process (a model call may take seconds; the database pool is shared). */
export const sortingAtOnce = 2;

/** Runs at most `limit` of the given jobs at a time, in the order they came. */
export function limitConcurrency(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    // A waiting job inherits the slot of the one that finishes, so the limit holds at every moment.
    if (running >= limit) await new Promise<void>((start) => waiting.push(start));
    else running++;
    try {
      return await job();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

export function createServices(db: Db, config: Config, options: { log?: Log; clock?: () => Date; worker?: string } = {}) {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? consoleLog;
  const worker = options.worker ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const settings: DigestSettings = { timeZone: config.ORG_TIMEZONE, currency: config.ORG_CURRENCY, locale: config.ORG_LOCALE, showCustomerNames: config.SHOW_CUSTOMER_NAMES };
  const digests: DigestStore = { ...customerAssetStore(db), ...listeningStore(db), ...departuresStore(db), ...earlyWarningStore(db) };
  const deliveries = deliveryStore(db);
  const events = customerEventStore(db);
  const people = new People(roleStore(db), { slack: config.BOOTSTRAP_CCO_SLACK_IDS, teams: config.BOOTSTRAP_CCO_TEAMS_IDS });
  const vocabularies = vocabularyStore(db);
  const language = new Language(vocabularies, people);
  const issues = issueStore(db);
  const posters: DigestPoster[] = [];
  const senders: NoticeSender[] = [];
  const model = { apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_MODEL, timeoutMs: config.OPENAI_TIMEOUT_MS, log };
  const storyWriter = openAiStoryWriter(model);
  const deliveryDeps: DeliveryDeps = { deliveries, digests, settings, posters, worker, leaseMs: deliveryLeaseMs, clock, log, storyWriter };
  const feedbackDeps: FeedbackDeps = {
    feedback: feedbackStore(db),
    issues,
    vocabulary: () => language.vocabulary(),
    termById: (kind, id) => vocabularies.termById(kind, id),
    classifier: openAiClassifier(model),
    people,
    log,
  };
  const noticeDeps: NoticeDeps = { notices: noticeStore(db), senders, worker, leaseMs: noticeLeaseMs, clock, log };
  const hope = hopeStore(db);
  const sorting = limitConcurrency(sortingAtOnce);
  const campaigns = campaignStore(db);
  const campaignDeps: CampaignDeps = { campaigns, people, timeZone: settings.timeZone, clock };
  const thenSend = <T extends { ok: boolean }>(result: T): T => {
    if (result.ok) void sendNotices();
    return result;
  };

  // Set once the HTTP server knows its address; unset while no platform is connected.
  let digestLinkMaker: DigestLinkMaker | undefined;
  const externalFeedback = externalFeedbackStore(db);
  let externalRun: Promise<{ sorted: number; failed: number }> | null = null;
  let externalAgain = false;
  let externalStopping = false;
  /**
   * Sorts what other systems sent, one run per process at a time, beside chat sorting rather
   * than in its queue: a 10,000-row import must not hold up the answer to someone's /feedback.
   */
  const sortExternalFeedback = (onProgress?: (sorted: number) => void): Promise<{ sorted: number; failed: number }> => {
    if (externalRun) {
      externalAgain = true;
      return externalRun;
    }
    externalRun = (async () => {
      const total = { sorted: 0, failed: 0 };
      do {
        externalAgain = false;
        const run = await sortExternalBacklog(
          {
            store: externalFeedback,
            sort: async (id) => {
              if ((await sortFeedback(feedbackDeps, id))?.reopenedIssue) void sendNotices();
            },
            log,
          },
          { atOnce: sortingAtOnce, onProgress: (sorted) => onProgress?.(total.sorted + sorted), stopping: () => externalStopping },
        );
        total.sorted += run.sorted;
        total.failed += run.failed;
      } while (externalAgain && !externalStopping);
      return total;
    })().finally(() => (externalRun = null));
    return externalRun;
  };
  const sortExternalInBackground = () => void sortExternalFeedback().catch((error) => log('sorting external feedback stopped', { error: String(error) }));

  let sending: Promise<unknown> = Promise.resolve();
  /** Sends what the outbox holds; calls made while a run is going wait for it rather than race it. */
  const sendNotices = () => (sending = sending.then(() => sendDueNotices(noticeDeps)).catch((error) => log('sending notices failed', { error: String(error) })));

  return {
    settings,
    clock,
    log,
    people,
    language,
    deliveries,
    /** Platforms register how they post, once they are connected. */
    addPoster: (poster: DigestPoster) => posters.push(poster),
    addNoticeSender: (sender: NoticeSender) => senders.push(sender),
    lastWeek: () => weekJustEnded(clock(), settings.timeZone),
    digestFor: (weekStart: WeekStart) => composeDigest(digests, weekStart, settings, storyWriter),
    useDigestLinks: (maker: DigestLinkMaker) => void (digestLinkMaker = maker),
    digestLink: (by: Person, week: string | undefined, audience: AnswerAudience) =>
      digestLink({ people, maker: digestLinkMaker, clock, timeZone: settings.timeZone, locale: settings.locale, log }, by, week, audience),
    recordCustomerEvents: (rows: unknown[], firstRow?: number) => recordCustomerEventBatch(events, rows, firstRow, undefined, clock()),
    deliverDigest: (weekStart: WeekStart) => deliverWeeklyDigest(deliveryDeps, weekStart),
    resumeDigest: (weekStart: WeekStart) => resumeWeeklyDigest(deliveryDeps, weekStart),
    loadVocabulary: (file?: VocabularyFile) => language.load(file),
    logFeedback: (by: Person, input: FeedbackInput) => logFeedback(feedbackDeps, by, input),
    /**
     * Classifies and files feedback after the person has been answered. A few at a time: a
     * burst of /feedback must not queue the next person's insert, and so their answer, behind sorting.
     */
    sortFeedback: (feedbackId: string, notesFromLogging: string[] = []) =>
      sorting(async () => {
        const view = await sortFeedback(feedbackDeps, feedbackId, notesFromLogging);
        if (view?.reopenedIssue) void sendNotices();
        return view;
      }),
    correctFeedback: (by: Person, feedbackId: string, correction: FeedbackCorrection) => correctFeedback(feedbackDeps, by, feedbackId, correction),
    reclassifyWaiting: () => reclassifyWaiting(feedbackDeps),
    sortLeftBehind: async () => {
      // Also picks up what other systems sent, should the process that stored it have stopped before sorting it all.
      sortExternalInBackground();
      return sorting(() => sortLeftBehind(feedbackDeps, clock()));
    },
    /** Feedback from another system (the feedback API, a CSV); stored at once, sorted in the background. */
    recordExternalFeedback: async (rows: unknown[], options: { channel: ExternalChannel; rowNumbers?: number[]; sortInBackground?: boolean }) => {
      const result = await recordExternalFeedback({ store: externalFeedback, vocabulary: () => language.vocabulary(), clock }, rows, options);
      if (result.stored && options.sortInBackground !== false) sortExternalInBackground();
      return result;
    },
    sortExternalFeedback,
    /** Lets a running sort finish its current items, so the database can close under it. */
    stopSortingExternal: async () => {
      externalStopping = true;
      await externalRun?.catch(() => undefined);
    },
    searchCustomers: (query: string) => feedbackDeps.feedback.searchCustomers(query.trim().slice(0, 100), 20),
    openIssues: (limit = 20) => issues.openIssues(limit),
    issueByNumber: (number: number) => issues.issueByNumber(number),
    mergeIssues: (by: Person, from: number, into: number) => mergeIssues(issues, people, by, from, into),
    splitIssue: (by: Person, issue: number, feedbackNumbers: number[]) => splitIssue(issues, people, by, issue, feedbackNumbers),
    resolveIssue: async (by: Person, issueNumber: number, whatChanged: string) => thenSend(await resolveIssue({ issues, hope, people, clock }, by, issueNumber, whatChanged)),
    /** Channels that hear "you told us, we changed it"; leaders choose them. */
    setHopeChannel: async (by: Person, channel: Channel, on: boolean) => {
      const permission = await people.may(by, 'subscribeHope');
      if (!permission.allowed) return { ok: false as const, message: permission.message };
      const purpose: ChannelPurpose = 'hope';
      const result = on ? await deliveries.subscribe(channel, by.userId, purpose) : await deliveries.unsubscribe(channel, purpose);
      return { ok: true as const, result };
    },
    sendNotices,
    /** For the CCO: notices the outbox gave up on, newest first. */
    undeliveredNotices: (by: Person) => undeliveredNotices(noticeDeps.notices, people, by),
    /** The bot can no longer post in this channel (archived, deleted, the bot removed): its subscriptions end. */
    channelGone: (channel: Channel) => deliveries.endSubscriptions(channel),
    /** The app was uninstalled from a platform: its subscriptions end and nothing more is sent there. */
    platformRemoved: async (platform: Platform, why: string) => ({
      subscriptions: await deliveries.endSubscriptions({ platform }),
      notices: await noticeDeps.notices.giveUpPlatform(platform, why, clock()),
    }),
    startCampaign: async (by: Person, input: CampaignInput) => thenSend(await startCampaign(campaignDeps, by, input)),
    logCall: (by: Person, callId: string, outcome: CallOutcome) => logCall(campaignDeps, by, callId, outcome),
    callerCards: (by: Person, campaignId: string, callerId: string, part?: number) => callerCards(campaignDeps, by, campaignId, callerId, part),
    /** For the notice sender: the list as it is when sent, to the caller it is addressed to. */
    callList: (campaignId: string, callerId: string, part: number) => campaigns.cards(campaignId, callerId, part),
    campaignProgress: (by: Person, number?: number) => campaignProgress(campaignDeps, by, number),
    reassignCalls: async (by: Person, from: string, to: string, number?: number) => thenSend(await reassignCalls(campaignDeps, by, from, to, number)),
    changeCampaign: async (by: Person, number: number | undefined, action: 'pause' | 'resume' | 'close') => thenSend(await changeCampaign(campaignDeps, by, number, action)),
    queueReminders: async () => {
      const queued = await queueReminders(campaignDeps);
      if (queued) void sendNotices();
      return { reminders: queued };
    },
    segments: () => campaigns.segments(),
  };
}

export type Services = ReturnType<typeof createServices>;
