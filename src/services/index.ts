// The capabilities wired to the database: what the Slack and Teams adapters, the HTTP API,
// the schedule and the command-line tools all call, so each capability exists once. Each
// capability is its own service in this folder; this file only composes them.
import { randomUUID } from 'node:crypto';
import { openAiClassifier } from '../ai/openaiClassifier.js';
import { openAiStoryWriter } from '../ai/storyWriter.js';
import type { Config } from '../config.js';
import { recordCustomerEventBatch, type EventSender } from '../domain/customerEvents.js';
import type { DigestSettings } from '../domain/digest.js';
import type { Platform } from '../domain/people.js';
import { createLog, type Log } from '../logger.js';
import { campaignStore, departuresStore } from '../store/campaignStore.js';
import { customerAssetStore, customerEventStore } from '../store/customerAssetStore.js';
import type { Db } from '../store/database.js';
import { deliveryStore } from '../store/deliveryStore.js';
import { hopeStore, issueStore } from '../store/issueStore.js';
import { customerRoomStore } from '../store/customerRoomStore.js';
import { listeningStore } from '../store/listeningStore.js';
import { priorityStore } from '../store/priorityStore.js';
import { stateOfTheCustomerStore } from '../store/stateOfTheCustomerStore.js';
import { movementHistoryStore } from '../store/movementHistoryStore.js';
import { earlyWarningStore } from '../store/warningStore.js';
import { createCampaignService } from './campaignService.js';
import { createCustomerLifeService } from './customerLifeService.js';
import { createDigestService } from './digestService.js';
import { createFeedbackService } from './feedbackService.js';
import { roomPriorityOf } from '../domain/customerRoom.js';
import { createHomeService } from './homeService.js';
import { createHopeService } from './hopeService.js';
import { createNoticeService } from './noticeService.js';
import { createPeopleAndLanguage } from './peopleService.js';
import { createPriorityService } from './priorityService.js';
import { createStateOfTheCustomerService } from './stateOfTheCustomerService.js';
import { createWarningCommands } from './warningService.js';

/** `log(message, context)` logs at info; `{ level: 'warn' | 'error' | 'debug' }` in the context chooses another. */
export type { Log } from '../logger.js';
export { limitConcurrency } from './concurrency.js';
export { deliveryLeaseMs } from './digestService.js';
export { sortingAtOnce } from './feedbackService.js';
export { noticeLeaseMs } from './noticeService.js';

export const consoleLog: Log = createLog();

export function createServices(
  db: Db,
  config: Config,
  options: { log?: Log; clock?: () => Date; worker?: string } = {},
) {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? consoleLog;
  const worker = options.worker ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
  const settings: DigestSettings = {
    timeZone: config.ORG_TIMEZONE,
    currency: config.ORG_CURRENCY,
    locale: config.ORG_LOCALE,
    showCustomerNames: config.SHOW_CUSTOMER_NAMES,
  };
  const model = {
    apiKey: config.OPENAI_API_KEY,
    baseURL: config.OPENAI_BASE_URL,
    model: config.OPENAI_MODEL,
    timeoutMs: config.OPENAI_TIMEOUT_MS,
    log,
  };
  const peopleAndLanguage = createPeopleAndLanguage(db, {
    slack: config.BOOTSTRAP_CCO_SLACK_IDS,
    teams: config.BOOTSTRAP_CCO_TEAMS_IDS,
  });
  const { people, language, vocabularies } = peopleAndLanguage.internal;
  // Digest and announcement subscriptions share one table: a channel gone ends both.
  const deliveries = deliveryStore(db);
  const issues = issueStore(db);
  const events = customerEventStore(db);

  const { thenSend, giveUpPlatform, ...notices } = createNoticeService(db, { people, worker, clock, log });
  const priorities = priorityStore(db);
  const digests = {
    ...customerAssetStore(db),
    ...listeningStore(db),
    ...departuresStore(db),
    ...earlyWarningStore(db),
    ...priorities,
    ...movementHistoryStore(db),
  };
  const priorityService = createPriorityService({ priorities, digests, people, settings, thenSend, clock });
  const digest = createDigestService({
    settings,
    digests,
    digestCron: config.DIGEST_CRON,
    deliveries,
    people,
    storyWriter: openAiStoryWriter(model),
    worker,
    clock,
    log,
  });
  const feedback = createFeedbackService(db, {
    issues,
    people,
    language,
    vocabularies,
    classifier: openAiClassifier(model),
    sendNotices: notices.sendNotices,
    clock,
    log,
  });
  const hope = createHopeService({ issues, hope: hopeStore(db), deliveries, people, thenSend, clock });
  const campaigns = createCampaignService({
    campaigns: campaignStore(db),
    people,
    timeZone: settings.timeZone,
    clock,
    thenSend,
    sendNotices: notices.sendNotices,
  });

  return {
    settings,
    clock,
    log,
    ...peopleAndLanguage.services,
    ...notices,
    ...digest,
    ...feedback,
    ...hope,
    ...campaigns,
    /** `/cco lapse …` and `/cco tiers …`: when customers lapse, and the value tiers they move between. */
    customerLife: createCustomerLifeService(db, people),
    ...priorityService,
    ...createStateOfTheCustomerService({
      store: stateOfTheCustomerStore(db),
      movements: movementHistoryStore(db),
      people,
      priorities: () => priorityService.priorityStandings(),
      settings: { timeZone: settings.timeZone, currency: settings.currency, locale: settings.locale },
      clock,
      log,
    }),
    /** The customer room: the Slack Home tab and the Teams `home` card. */
    ...createHomeService({
      store: customerRoomStore(db),
      settings,
      clock,
      priorities: async () => (await priorityService.priorityStandings()).map(roomPriorityOf),
    }),
    /** `/warnings subscribe`, the moments, and the warning's Acknowledge and issues buttons. */
    warningCommands: createWarningCommands(db, config, { openIssues: feedback.openIssues, clock }),
    recordCustomerEvents: (rows: unknown[], firstRow?: number, sender?: EventSender) =>
      recordCustomerEventBatch(events, rows, firstRow, undefined, clock(), sender),
    /** The app was uninstalled from a platform: its subscriptions end and nothing more is sent there. */
    platformRemoved: async (platform: Platform, why: string) => ({
      subscriptions: await deliveries.endSubscriptions({ platform }),
      notices: await giveUpPlatform(platform, why),
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
