// The domain wired to the database: what the Slack and Teams adapters, the HTTP API,
// the schedule and the command-line tools all call, so each capability exists once.
import { randomUUID } from 'node:crypto';
import type { Config } from './config.js';
import { recordCustomerEventBatch } from './domain/customerEvents.js';
import { deliverWeeklyDigest, resumeWeeklyDigest, type DeliveryDeps, type DigestPoster } from './domain/delivery.js';
import { composeDigest, type DigestSettings } from './domain/digest.js';
import { People } from './domain/people.js';
import { weekJustEnded, type WeekStart } from './domain/weeks.js';
import { customerAssetStore, customerEventStore } from './store/customerAssetStore.js';
import type { Db } from './store/database.js';
import { deliveryStore } from './store/deliveryStore.js';
import { roleStore } from './store/peopleStore.js';

export type Log = (message: string, context?: Record<string, unknown>) => void;

export const consoleLog: Log = (message, context = {}) => console.log(JSON.stringify({ at: new Date().toISOString(), message, ...context }));

/** A crashed process's claim is taken over after this long; a digest post takes seconds. */
export const deliveryLeaseMs = 5 * 60_000;

export function createServices(db: Db, config: Config, options: { log?: Log; clock?: () => Date; worker?: string } = {}) {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? consoleLog;
  const settings: DigestSettings = { timeZone: config.ORG_TIMEZONE, currency: config.ORG_CURRENCY, locale: config.ORG_LOCALE };
  const digests = customerAssetStore(db);
  const deliveries = deliveryStore(db);
  const events = customerEventStore(db);
  const posters: DigestPoster[] = [];
  const deliveryDeps: DeliveryDeps = {
    deliveries,
    digests,
    settings,
    posters,
    worker: options.worker ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`,
    leaseMs: deliveryLeaseMs,
    clock,
    log,
  };

  return {
    settings,
    clock,
    log,
    people: new People(roleStore(db), { slack: config.BOOTSTRAP_CCO_SLACK_IDS, teams: config.BOOTSTRAP_CCO_TEAMS_IDS }),
    deliveries,
    /** Platforms register how they post, once they are connected. */
    addPoster: (poster: DigestPoster) => posters.push(poster),
    lastWeek: () => weekJustEnded(clock(), settings.timeZone),
    digestFor: (weekStart: WeekStart) => composeDigest(digests, weekStart, settings),
    recordCustomerEvents: (rows: unknown[], firstRow?: number) => recordCustomerEventBatch(events, rows, firstRow),
    deliverDigest: (weekStart: WeekStart) => deliverWeeklyDigest(deliveryDeps, weekStart),
    resumeDigest: (weekStart: WeekStart) => resumeWeeklyDigest(deliveryDeps, weekStart),
  };
}

export type Services = ReturnType<typeof createServices>;
