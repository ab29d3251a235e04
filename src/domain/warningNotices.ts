// What a warning message carries through the outbox: the warning's whole story, as plain
// data. Apart from warnings.ts so the outbox can name it without importing the check.
import type { MomentOwner } from './moments.js';
import type { WeekStart } from './weeks.js';

export type WarningKind = 'belowStandard' | 'recovered' | 'complaintSpike';

export type WarningStory = {
  kind: WarningKind;
  weekStart: WeekStart;
  stageName: string;
  categoryName: string | null;
  /** Why it fired, in one or two plain sentences. */
  why: string;
  moment: {
    name: string;
    metric: string;
    unit: string;
    better: 'higher' | 'lower';
    standard: number;
    /** Newest first, each with whether it met the standard. */
    readings: Array<{ value: number; at: string; meets: boolean }>;
    belowSince: string;
  } | null;
  complaints: {
    thisWeek: number;
    weeklyBaseline: number;
    pValue: number | null;
    verbatims: Array<{ text: string; attribution: string }>;
  };
  lost: { customers: number; value: number; examples: Array<{ who: string; value: number; reason: string | null }> };
  owners: MomentOwner[];
};

/** The outbox's warning messages; rendered by src/render/warningSlack.ts and warningCard.ts. */
export type WarningNoticeContent =
  | { kind: 'earlyWarning'; warningId: string; story: WarningStory }
  | { kind: 'earlyWarningSummary'; headlines: string[] };
