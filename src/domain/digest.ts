// The story of a period (a week, month, quarter or year), as a list of sections. Each
// capability adds its own section kind; renderers for Slack and Teams turn the same digest
// into their own format.
import {
  customerAssetReport,
  earnedGrowthAnswer,
  earnedGrowthQuestion,
  type CustomerAssetReport,
  type CustomerAssetStore,
} from './assets.js';
import {
  chooseVerbatims,
  listeningReport,
  type HopeReport,
  type ListeningReport,
  type ListeningStore,
  type Verbatim,
} from './listening.js';
import {
  departuresReport,
  templateStoryWriter,
  type DeparturesReport,
  type DeparturesStore,
  type StoryWriter,
} from './departures.js';
import {
  hasMovement,
  movementHistory,
  periodCharted,
  type MovementHistory,
  type MovementHistoryStore,
} from './movementHistory.js';
import type { NumberFormat } from './numbers.js';
import { comparisonsFor, periodTitle, periodWords, type Period } from './periods.js';
import { priorityStandingsForWeek, type PriorityStanding, type PriorityStore } from './priorities.js';
import { earlyWarningsIn, hasEarlyWarnings, type EarlyWarnings, type EarlyWarningStore } from './warnings.js';
import { addDays } from './weeks.js';

export type DigestSection =
  | { kind: 'headline'; question: string; answer: string }
  | { kind: 'customerAsset'; report: CustomerAssetReport }
  /** Won and lost over the last periods, drawn as a chart; only when something moved in them. */
  | { kind: 'movementChart'; history: MovementHistory }
  | { kind: 'departures'; report: DeparturesReport }
  | { kind: 'listening'; report: ListeningReport }
  | { kind: 'verbatims'; verbatims: Verbatim[] }
  | { kind: 'hope'; report: HopeReport }
  | { kind: 'earlyWarning'; warnings: EarlyWarnings }
  | { kind: 'priorities'; standings: PriorityStanding[] };

export interface Digest {
  period: Period;
  /** "week of 17–23 Nov 2026", "October 2026", "Q3 2026 (Jul–Sep)", "2026". */
  title: string;
  /** "this month" and "last month": how the story names its period and the one before. */
  words: { current: string; previous: string };
  /** What each figure is set against, in order: "last week" and "4-week avg", or "last quarter" and "a year ago". */
  comparisons: string[];
  format: NumberFormat;
  sections: DigestSection[];
}

export interface DigestSettings extends NumberFormat {
  timeZone: string;
  /** Verbatims are attributed by segment and source; names only when the organisation allows it. */
  showCustomerNames: boolean;
}

export type DigestStore = CustomerAssetStore &
  ListeningStore &
  DeparturesStore &
  EarlyWarningStore &
  Pick<PriorityStore, 'priorities' | 'weeklyComplaints'> &
  MovementHistoryStore;

export async function composeDigest(
  store: DigestStore,
  period: Period,
  settings: DigestSettings,
  storyWriter: StoryWriter = templateStoryWriter,
): Promise<Digest> {
  const format = { locale: settings.locale, currency: settings.currency };
  const words = periodWords(period.kind);
  const [report, listening, hope, departures, warnings, priorities, history] = await Promise.all([
    customerAssetReport(store, period, settings.timeZone),
    listeningReport(store, period, settings.timeZone),
    store.hopeReport(period, settings.timeZone),
    departuresReport(store, storyWriter, period, settings.timeZone, format),
    earlyWarningsIn(store, period, settings.timeZone),
    // Priorities are weighed week by week; the story shows them as they stood when its period ended.
    priorityStandingsForWeek(store, addDays(period.end, -7), settings.timeZone),
    movementHistory(store, periodCharted(period), settings.timeZone, settings.locale),
  ]);
  const candidates = await store.verbatimCandidates(period, settings.timeZone, listening.topIssueIds);
  const verbatims = chooseVerbatims(candidates, listening.topIssueIds, listening.issueNumbers, {
    showCustomerNames: settings.showCustomerNames,
  });
  return {
    period,
    title: periodTitle(period, settings.locale),
    words,
    comparisons: comparisonsFor(period).map((comparison) => comparison.label),
    format,
    sections: [
      {
        kind: 'headline',
        question: earnedGrowthQuestion,
        answer: earnedGrowthAnswer(report.total.current, format, words.current),
      },
      { kind: 'customerAsset', report },
      ...(hasMovement(history) ? [{ kind: 'movementChart' as const, history }] : []),
      // Right after the customer asset: what is breaking now explains the losses to come.
      ...(hasEarlyWarnings(warnings) ? [{ kind: 'earlyWarning' as const, warnings }] : []),
      ...(departures.calls ? [{ kind: 'departures' as const, report: departures }] : []),
      { kind: 'listening', report: listening.report },
      ...(verbatims.length ? [{ kind: 'verbatims' as const, verbatims }] : []),
      { kind: 'hope', report: hope },
      ...(priorities.length ? [{ kind: 'priorities' as const, standings: priorities }] : []),
    ],
  };
}
