// The customer room (Bliss, CCO 2.0): leaders meet to review the customer story in a fixed
// order. The agenda is composed from the digest's own pieces, for the week just ended:
// did we earn the right to growth; where on the journey we helped or hindered it; why
// customers left; where each priority stands.
import { customerAssetReport, earnedGrowthAnswer, earnedGrowthQuestion, type AssetLine } from './assets.js';
import type { ReasonLine } from './departures.js';
import type { DigestSettings, DigestStore } from './digest.js';
import { listeningReport, type StageLine } from './listening.js';
import type { NumberFormat } from './numbers.js';
import { priorityStandingsForWeek, type PriorityStanding } from './priorities.js';
import { earlyWarningWeek, type EarlyWarningWeek } from './warnings.js';
import { describeWeek, type WeekStart } from './weeks.js';

export interface CustomerRoomAgenda {
  weekStart: WeekStart;
  weekLabel: string;
  format: NumberFormat;
  /** 1. Did we earn the right to growth? */
  growth: { question: string; answer: string; total: AssetLine };
  /** 2. Where on the journey we helped or hindered it: complaints by stage, moments below standard, spikes. */
  journey: { stages: StageLine[]; warnings: EarlyWarningWeek };
  /** 3. Why customers left: the reasons their systems gave, and what callers heard. */
  departures: { reasons: AssetLine['topLostReasons']; calls: ReasonLine[] };
  /** 4. Where each priority stands. */
  priorities: PriorityStanding[];
}

export async function customerRoomAgenda(
  store: DigestStore,
  weekStart: WeekStart,
  settings: DigestSettings,
): Promise<CustomerRoomAgenda> {
  const [report, listening, warnings, calls, priorities] = await Promise.all([
    customerAssetReport(store, weekStart, settings.timeZone),
    listeningReport(store, weekStart, settings.timeZone),
    earlyWarningWeek(store, weekStart, settings.timeZone),
    store.reasonsLogged(weekStart, settings.timeZone),
    priorityStandingsForWeek(store, weekStart, settings.timeZone),
  ]);
  const format = { locale: settings.locale, currency: settings.currency };
  return {
    weekStart,
    weekLabel: describeWeek(weekStart, settings.locale),
    format,
    growth: {
      question: earnedGrowthQuestion,
      answer: earnedGrowthAnswer(report.total.thisWeek, format),
      total: report.total,
    },
    journey: { stages: listening.report.stages, warnings },
    departures: { reasons: report.total.topLostReasons, calls },
    priorities,
  };
}
