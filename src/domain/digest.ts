// The weekly story, as a list of sections. Each capability adds its own section kind;
// renderers for Slack and Teams turn the same digest into their own format.
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
  type HopeWeek,
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
import { hasMovement, movementHistory, type MovementHistory, type MovementHistoryStore } from './movementHistory.js';
import type { NumberFormat } from './numbers.js';
import { periodOf } from './periods.js';
import { earlyWarningWeek, hasEarlyWarnings, type EarlyWarningStore, type EarlyWarningWeek } from './warnings.js';
import { describeWeek, type WeekStart } from './weeks.js';

export type DigestSection =
  | { kind: 'headline'; question: string; answer: string }
  | { kind: 'customerAsset'; report: CustomerAssetReport }
  /** Won and lost over the last periods, drawn as a chart; only when something moved in them. */
  | { kind: 'movementChart'; history: MovementHistory }
  | { kind: 'departures'; report: DeparturesReport }
  | { kind: 'listening'; report: ListeningReport }
  | { kind: 'verbatims'; verbatims: Verbatim[] }
  | { kind: 'hope'; week: HopeWeek }
  | { kind: 'earlyWarning'; week: EarlyWarningWeek };

export interface Digest {
  weekStart: WeekStart;
  weekLabel: string;
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
  MovementHistoryStore;

export async function composeDigest(
  store: DigestStore,
  weekStart: WeekStart,
  settings: DigestSettings,
  storyWriter: StoryWriter = templateStoryWriter,
): Promise<Digest> {
  const format = { locale: settings.locale, currency: settings.currency };
  const [report, listening, hope, departures, warnings, history] = await Promise.all([
    customerAssetReport(store, weekStart, settings.timeZone),
    listeningReport(store, weekStart, settings.timeZone),
    store.hopeWeek(weekStart, settings.timeZone),
    departuresReport(store, storyWriter, weekStart, settings.timeZone, format),
    earlyWarningWeek(store, weekStart, settings.timeZone),
    movementHistory(store, periodOf('week', weekStart), settings.timeZone, settings.locale),
  ]);
  const candidates = await store.verbatimCandidates(weekStart, settings.timeZone, listening.topIssueIds);
  const verbatims = chooseVerbatims(candidates, listening.topIssueIds, listening.issueNumbers, {
    showCustomerNames: settings.showCustomerNames,
  });
  return {
    weekStart,
    weekLabel: describeWeek(weekStart, settings.locale),
    format,
    sections: [
      { kind: 'headline', question: earnedGrowthQuestion, answer: earnedGrowthAnswer(report.total.thisWeek, format) },
      { kind: 'customerAsset', report },
      ...(hasMovement(history) ? [{ kind: 'movementChart' as const, history }] : []),
      // Right after the customer asset: what is breaking now explains the losses to come.
      ...(hasEarlyWarnings(warnings) ? [{ kind: 'earlyWarning' as const, week: warnings }] : []),
      ...(departures.calls ? [{ kind: 'departures' as const, report: departures }] : []),
      { kind: 'listening', report: listening.report },
      ...(verbatims.length ? [{ kind: 'verbatims' as const, verbatims }] : []),
      { kind: 'hope', week: hope },
    ],
  };
}
