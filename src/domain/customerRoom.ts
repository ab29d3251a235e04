// The customer room: what a leader or caller sees on opening the bot's home. Last week's
// customer asset with its chart, the early warnings, the priorities, the top issues at each
// stage, and the caller's own open calls, each with a way to act on it.
import {
  buildCustomerAssetReport,
  earnedGrowthAnswer,
  earnedGrowthQuestion,
  type AssetLine,
  type CustomerAssetStore,
} from './assets.js';
import type { CallCard } from './campaigns.js';
import type { IssueSummary } from './issues.js';
import { hasMovement, movementHistory, type MovementHistory, type MovementHistoryStore } from './movementHistory.js';
import type { NumberFormat } from './numbers.js';
import type { Person } from './people.js';
import { perWeek, type PriorityStanding } from './priorities.js';
import { periodsToAggregate, periodTitle, type Period } from './periods.js';
import { earlyWarningsIn, hasEarlyWarnings, type EarlyWarningStore, type EarlyWarnings } from './warnings.js';

/** One of the company's 5 to 10 customer priorities, as the room shows it. */
export interface RoomPriority {
  /** Shown as #n, the number people type. */
  number: number;
  title: string;
  /** The journey stage it belongs to, if any. */
  stageName?: string;
  /** Where it stands, in words the priorities capability chose ("complaints down 3 weeks running"). */
  status: string;
  /** Whether it is done: only once complaints stayed down. */
  done: boolean;
}

/** A priority as the room words it: how many weeks below its baseline, or ready, or done. */
export function roomPriorityOf(standing: PriorityStanding): RoomPriority {
  const status = standing.done
    ? 'done'
    : standing.ready
      ? 'ready to be marked done'
      : `${standing.weeksBelow} of ${standing.quietWeeks} weeks below its baseline of ${perWeek(standing.baseline)} complaints a week`;
  return { number: standing.number, title: standing.title, status, done: standing.done };
}

/** Supplies the priorities the person may see. */
export type PrioritiesSource = (person: Person) => Promise<RoomPriority[]>;

export interface RoomCall extends CallCard {
  campaignNumber: number;
  campaignName: string;
  dueOn: string;
}

export interface RoomStage {
  stageName: string;
  issues: IssueSummary[];
}

export interface CustomerRoom {
  period: Period;
  /** "week of 17–23 Nov 2026". */
  title: string;
  format: NumberFormat;
  question: string;
  answer: string;
  asset: AssetLine;
  /** Present when anyone moved in the weeks charted. */
  history?: MovementHistory;
  /** Present when there is a warning to show. */
  warnings?: EarlyWarnings;
  /** Empty when the company has none. */
  priorities: RoomPriority[];
  /** Open issues, busiest stage first, the most reported few at each. */
  stages: RoomStage[];
  /** The person's own open calls, highest value first. */
  openCalls: RoomCall[];
}

export interface CustomerRoomStore extends CustomerAssetStore, MovementHistoryStore, EarlyWarningStore {
  /** Open issues, most reported first. */
  openIssues(limit: number): Promise<IssueSummary[]>;
  /** The person's open calls in active campaigns on their platform, highest value first. */
  openCallsFor(person: Person, limit: number): Promise<RoomCall[]>;
}

export interface CustomerRoomSettings extends NumberFormat {
  timeZone: string;
}

/** Issues looked at, then shown per stage: enough to fill the room, few enough to read. */
export const roomIssuesRead = 60;
export const roomIssuesPerStage = 3;
export const roomStagesShown = 5;
/** Calls shown in the room; a longer list lives in the caller's direct messages. */
export const roomCallsShown = 10;

export function issuesByStage(issues: IssueSummary[]): RoomStage[] {
  const stages = new Map<string, IssueSummary[]>();
  for (const issue of issues) stages.set(issue.stageName, [...(stages.get(issue.stageName) ?? []), issue]);
  const reports = (list: IssueSummary[]) => list.reduce((sum, issue) => sum + issue.feedbackCount, 0);
  return [...stages.entries()]
    .sort(([a, first], [b, second]) => reports(second) - reports(first) || a.localeCompare(b))
    .slice(0, roomStagesShown)
    .map(([stageName, list]) => ({ stageName, issues: list.slice(0, roomIssuesPerStage) }));
}

export async function customerRoom(
  store: CustomerRoomStore,
  person: Person,
  period: Period,
  settings: CustomerRoomSettings,
  priorities: PrioritiesSource,
): Promise<CustomerRoom> {
  const format = { locale: settings.locale, currency: settings.currency };
  const [movements, history, warnings, issues, openCalls, shownPriorities] = await Promise.all([
    // The room shows the whole company's figures, not why customers left: the reasons query is not needed.
    store.movementAggregates(periodsToAggregate(period), settings.timeZone),
    movementHistory(store, period, settings.timeZone, settings.locale),
    earlyWarningsIn(store, period, settings.timeZone),
    store.openIssues(roomIssuesRead),
    store.openCallsFor(person, roomCallsShown),
    priorities(person),
  ]);
  const report = buildCustomerAssetReport(period, movements, []);
  return {
    period,
    title: periodTitle(period, settings.locale),
    format,
    question: earnedGrowthQuestion,
    answer: earnedGrowthAnswer(report.total.current, format),
    asset: report.total,
    ...(hasMovement(history) ? { history } : {}),
    ...(hasEarlyWarnings(warnings) ? { warnings } : {}),
    priorities: shownPriorities,
    stages: issuesByStage(issues),
    openCalls,
  };
}
