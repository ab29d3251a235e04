// The early warning system wired to the database: moments from the company language,
// metric readings from the API and CSV imports, and the check that raises warnings, which
// runs after each batch of readings and on the schedule.
import type { Config } from '../config.js';
import { recordMetricReadings, type RecordedReadings } from '../domain/metricReadings.js';
import { loadMoments, type MomentDefinition } from '../domain/moments.js';
import { checkWarnings, type WarningCheck } from '../domain/warnings.js';
import {
  acknowledgeWarning,
  issuesForWarning,
  listMoments,
  subscribeWarnings,
  type WarningCommandDeps,
} from '../domain/warningCommands.js';
import type { Channel } from '../domain/delivery.js';
import { People, type Person } from '../domain/people.js';
import type { IssueSummary } from '../domain/issues.js';
import { deliveryStore } from '../store/deliveryStore.js';
import { roleStore } from '../store/peopleStore.js';
import type { Log } from '../logger.js';
import { errorDetail } from '../domain/errorDetail.js';
import type { Db } from '../store/database.js';
import { momentStore } from '../store/momentStore.js';
import { warningCheckStore, warningRecordStore } from '../store/warningStore.js';
import { momentOf } from '../store/momentStore.js';

export function createWarningServices(
  db: Db,
  config: Config,
  options: { clock: () => Date; log: Log; sendNotices: () => Promise<unknown> },
) {
  const moments = momentStore(db);
  const checkDeps = {
    store: warningCheckStore(db),
    clock: options.clock,
    timeZone: config.ORG_TIMEZONE,
    showCustomerNames: config.SHOW_CUSTOMER_NAMES,
  };

  let checking: Promise<unknown> = Promise.resolve();
  /** One check at a time in this process (the database lock orders processes); what it raised is sent at once. */
  const check = (asOf?: Date): Promise<WarningCheck> => {
    const run = checking.then(async () => {
      const result = await checkWarnings(asOf ? { ...checkDeps, clock: () => asOf } : checkDeps);
      if (result.raised.length) {
        options.log('early warnings raised', { warnings: result.raised.map((warning) => warning.key) });
        void options.sendNotices();
      }
      return result;
    });
    checking = run.catch(() => undefined);
    return run;
  };
  const checkInBackground = () =>
    void check().catch((error: unknown) =>
      options.log('the early warning check failed', { level: 'error', error: errorDetail(error) }),
    );

  return {
    /** From the language file's `moments`, at every start; without a list the moments stay as they are. */
    loadMoments: (file: MomentDefinition[] | undefined) => (file ? loadMoments(moments, file) : Promise.resolve()),
    moments: () => moments.moments(),
    /** Readings from another system; a batch that stored something is checked at once, in the background. */
    recordReadings: async (
      rows: unknown[],
      options: { rowNumbers?: number[]; checkAfter?: boolean } = {},
    ): Promise<RecordedReadings> => {
      const result = await recordMetricReadings({ store: moments, clock: checkDeps.clock }, rows, options.rowNumbers);
      if (result.stored && options.checkAfter !== false) checkInBackground();
      return result;
    },
    checkWarnings: () => check(),
    /** The check as if it ran at `asOf`: the demo fills the week just ended with it. */
    checkWarningsAsOf: (asOf: Date) => check(asOf),
    /** Waits for a check in progress, so the database can close under none. */
    settle: () => checking,
  };
}

export type WarningServices = ReturnType<typeof createWarningServices>;

/** What the chat commands (`/cco moments`, `/warnings subscribe`, the warning's buttons) will call; each answer is a typed outcome. */
export function createWarningCommands(
  db: Db,
  config: Config,
  services: { openIssues: (limit: number) => Promise<IssueSummary[]>; clock: () => Date },
) {
  const deps: WarningCommandDeps = {
    people: new People(roleStore(db), { slack: config.BOOTSTRAP_CCO_SLACK_IDS, teams: config.BOOTSTRAP_CCO_TEAMS_IDS }),
    deliveries: deliveryStore(db),
    warnings: warningRecordStore(db),
    moments: async () => {
      const rows = await db.moment.findMany({
        where: { retiredAt: null },
        orderBy: { position: 'asc' },
        include: { stage: { select: { name: true } } },
      });
      return rows.map((row) => ({ ...momentOf(row), belowSince: row.belowSince }));
    },
    openIssues: (limit) => services.openIssues(limit),
    clock: services.clock,
    timeZone: config.ORG_TIMEZONE,
  };
  return {
    subscribe: (by: Person, channel: Channel, on: boolean) => subscribeWarnings(deps, by, channel, on),
    moments: () => listMoments(deps),
    /** `name` is the person's name as their platform gave it with the press, shown on the post. */
    acknowledge: (by: Person, warningId: string, name?: string) =>
      acknowledgeWarning(deps, by, warningId, name ?? null),
    issues: (warningId: string) => issuesForWarning(deps, warningId),
  };
}

export type WarningCommands = ReturnType<typeof createWarningCommands>;
