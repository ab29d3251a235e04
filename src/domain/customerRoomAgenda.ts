// The customer room (Bliss, CCO 2.0): leaders meet to review the customer story in a fixed
// order. The agenda is composed from the digest's own pieces, for the period just ended:
// did we earn the right to growth; where on the journey we helped or hindered it; why
// customers left; where each priority stands.
import { customerAssetReport, earnedGrowthAnswer, earnedGrowthQuestion, type AssetLine } from './assets.js';
import type { ReasonLine } from './departures.js';
import type { DigestSettings, DigestStore } from './digest.js';
import { listeningReport, type StageLine } from './listening.js';
import type { NumberFormat } from './numbers.js';
import { priorityStandingsForWeek, type PriorityStanding } from './priorities.js';
import { periodTitle, periodWords, type Period } from './periods.js';
import { earlyWarningsIn, type EarlyWarnings } from './warnings.js';
import { addDays } from './weeks.js';

export interface CustomerRoomAgenda {
  period: Period;
  /** "week of 17–23 Nov 2026", "October 2026". */
  title: string;
  /** "this week" and "last week", or "this month" and "last month". */
  words: { current: string; previous: string };
  format: NumberFormat;
  /** 1. Did we earn the right to growth? */
  growth: { question: string; answer: string; total: AssetLine };
  /** 2. Where on the journey we helped or hindered it: complaints by stage, moments below standard, spikes. */
  journey: { stages: StageLine[]; warnings: EarlyWarnings };
  /** 3. Why customers left: the reasons their systems gave, and what callers heard. */
  departures: { reasons: AssetLine['topLostReasons']; calls: ReasonLine[] };
  /** 4. Where each priority stands. */
  priorities: PriorityStanding[];
}

export async function customerRoomAgenda(
  store: DigestStore,
  period: Period,
  settings: DigestSettings,
): Promise<CustomerRoomAgenda> {
  const [report, listening, warnings, calls, priorities] = await Promise.all([
    customerAssetReport(store, period, settings.timeZone),
    listeningReport(store, period, settings.timeZone),
    earlyWarningsIn(store, period, settings.timeZone),
    store.reasonsLogged(period, settings.timeZone),
    // Priorities are weighed week by week; the agenda shows them as they stood when the period ended.
    priorityStandingsForWeek(store, addDays(period.end, -7), settings.timeZone),
  ]);
  const format = { locale: settings.locale, currency: settings.currency };
  return {
    period,
    title: periodTitle(period, settings.locale),
    words: periodWords(period.kind),
    format,
    growth: {
      question: earnedGrowthQuestion,
      answer: earnedGrowthAnswer(report.total.current, format),
      total: report.total,
    },
    journey: { stages: listening.report.stages, warnings },
    departures: { reasons: report.total.topLostReasons, calls },
    priorities,
  };
}
