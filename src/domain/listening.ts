// What the period's feedback says, for the digest: issues by journey stage with their
// volumes and trend, a few customers' own words, and what was fixed and who was told.
import { sourceWords, type FeedbackSource, type Severity } from './feedback.js';
import type { Sentiment } from './classification.js';
import { convergenceWords } from './issues.js';
import { comparisonsFor, periodsToAggregate, type Period } from './periods.js';

export interface IssueVolume {
  issueId: string;
  number: number;
  title: string;
  status: 'open' | 'resolved' | 'merged';
  stageName: string;
  stagePosition: number;
  categoryName: string;
  /** Which of the periods asked for: 0 is the digest's own (for a week, 1 to 4 are the weeks before). */
  periodIndex: number;
  reports: number;
  sources: FeedbackSource[];
}

export interface VerbatimCandidate {
  issueId: string;
  text: string;
  segment: string | null;
  customerName: string | null;
  source: FeedbackSource;
  severity: Severity | null;
  sentiment: Sentiment | null;
  loggedAt: Date;
}

export interface HopeReport {
  fixes: Array<{ number: number; title: string; whatChanged: string }>;
  reportersTold: number;
  reopened: number;
}

export interface ListeningStore {
  /** Reports per issue in each of `periods` (the digest's own first), in one pass. */
  issueVolumes(periods: Period[], timeZone: string): Promise<IssueVolume[]>;
  unsortedFeedback(period: Period, timeZone: string): Promise<number>;
  verbatimCandidates(period: Period, timeZone: string, issueIds: string[]): Promise<VerbatimCandidate[]>;
  hopeReport(period: Period, timeZone: string): Promise<HopeReport>;
}

export interface IssueLine {
  number: number;
  title: string;
  categoryName: string;
  status: IssueVolume['status'];
  /** Reports in the digest's period. */
  current: number;
  /** Against each of the digest's comparisons, in whole reports; the first is the period before. */
  compared: number[];
  /** "3 sources: call centre, web, store" when more than one channel heard it. */
  converging: string | null;
}

export interface StageLine {
  stageName: string;
  reports: number;
  /** Reports in the period before. */
  previous: number;
  issues: IssueLine[];
  /** Issues with reports in the period not shown, to keep the digest readable. */
  moreIssues: number;
}

export interface ListeningReport {
  reports: number;
  /** Reports in the period before. */
  previous: number;
  unsorted: number;
  stages: StageLine[];
}

export interface Verbatim {
  text: string;
  /** "A Retail customer, via the call centre": never a name unless the organisation allows it. */
  attribution: string;
  stageName: string;
  issueNumber: number;
}

export const issuesPerStage = 3;
export const verbatimsWanted = { min: 3, max: 5 };
const verbatimLength = { min: 15, max: 300 };

export async function listeningReport(
  store: ListeningStore,
  period: Period,
  timeZone: string,
): Promise<{
  report: ListeningReport;
  topIssueIds: string[];
  issueNumbers: Map<string, { number: number; stageName: string }>;
}> {
  const asked = periodsToAggregate(period);
  const comparisons = comparisonsFor(period).map((comparison) =>
    comparison.periods.map((wanted) => asked.findIndex((known) => known.start === wanted.start)),
  );
  const [volumes, unsorted] = await Promise.all([
    store.issueVolumes(asked, timeZone),
    store.unsortedFeedback(period, timeZone),
  ]);
  const byIssue = new Map<string, { volume: IssueVolume; periods: number[]; sources: Set<FeedbackSource> }>();
  for (const volume of volumes) {
    const entry = byIssue.get(volume.issueId) ?? {
      volume,
      periods: asked.map(() => 0),
      sources: new Set<FeedbackSource>(),
    };
    entry.periods[volume.periodIndex] = volume.reports;
    if (volume.periodIndex === 0) {
      for (const source of volume.sources) entry.sources.add(source);
      entry.volume = volume;
    }
    byIssue.set(volume.issueId, entry);
  }
  const stages = new Map<string, { position: number; line: StageLine; lines: Array<IssueLine & { id: string }> }>();
  const previousIndex = comparisons[0]![0]!;
  for (const [id, { volume, periods, sources }] of byIssue) {
    const stage = stages.get(volume.stageName) ?? {
      position: volume.stagePosition,
      line: { stageName: volume.stageName, reports: 0, previous: 0, issues: [], moreIssues: 0 },
      lines: [],
    };
    stage.line.reports += periods[0]!;
    stage.line.previous += periods[previousIndex]!;
    if (periods[0]) {
      stage.lines.push({
        id,
        number: volume.number,
        title: volume.title,
        categoryName: volume.categoryName,
        status: volume.status,
        current: periods[0],
        compared: comparisons.map((indexes) =>
          Math.round(indexes.reduce((sum, index) => sum + periods[index]!, 0) / indexes.length),
        ),
        converging: convergenceWords([...sources].sort()),
      });
    }
    stages.set(volume.stageName, stage);
  }
  const ordered = [...stages.values()]
    .filter((stage) => stage.line.reports || stage.line.previous)
    .sort((a, b) => a.position - b.position);
  const topIssueIds: string[] = [];
  for (const stage of ordered) {
    stage.lines.sort((a, b) => b.current - a.current || a.number - b.number);
    const shown = stage.lines.slice(0, issuesPerStage);
    stage.line.issues = shown.map(({ id: _id, ...line }) => line);
    stage.line.moreIssues = stage.lines.length - shown.length;
  }
  // The issues heard most in the period, across stages, are where the verbatims come from.
  const busiest = ordered.flatMap((stage) => stage.lines).sort((a, b) => b.current - a.current || a.number - b.number);
  topIssueIds.push(...busiest.slice(0, verbatimsWanted.max).map((line) => line.id));
  const issueNumbers = new Map(
    [...byIssue].map(([id, entry]) => [id, { number: entry.volume.number, stageName: entry.volume.stageName }]),
  );
  const lines = ordered.map((stage) => stage.line);
  return {
    report: {
      reports: lines.reduce((sum, line) => sum + line.reports, 0) + unsorted,
      previous: lines.reduce((sum, line) => sum + line.previous, 0),
      unsorted,
      stages: lines,
    },
    topIssueIds,
    issueNumbers,
  };
}

const severityRank: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

/** One voice per top issue first, the strongest words a customer used; then more from the top issues until there are enough. */
export function chooseVerbatims(
  candidates: VerbatimCandidate[],
  topIssueIds: string[],
  issues: Map<string, { number: number; stageName: string }>,
  options: { showCustomerNames: boolean },
): Verbatim[] {
  const usable = candidates
    .filter((candidate) => candidate.text.trim().length >= verbatimLength.min && /\p{L}/u.test(candidate.text))
    .sort(
      (a, b) =>
        (b.severity ? severityRank[b.severity] : 0) - (a.severity ? severityRank[a.severity] : 0) ||
        Number(b.sentiment === 'negative') - Number(a.sentiment === 'negative') ||
        Number(a.text.length > verbatimLength.max) - Number(b.text.length > verbatimLength.max) ||
        b.loggedAt.getTime() - a.loggedAt.getTime(),
    );
  const chosen: VerbatimCandidate[] = [];
  for (const issueId of topIssueIds) {
    const first = usable.find((candidate) => candidate.issueId === issueId);
    if (first) chosen.push(first);
  }
  for (const candidate of usable) {
    if (chosen.length >= verbatimsWanted.min) break;
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  return chosen.slice(0, verbatimsWanted.max).map((candidate) => {
    const text = candidate.text.replace(/\s+/g, ' ').trim();
    const who =
      options.showCustomerNames && candidate.customerName
        ? `${candidate.customerName}${candidate.segment ? ` (${candidate.segment})` : ''}`
        : `A${candidate.segment && /^[aeiou]/i.test(candidate.segment) ? 'n' : ''} ${candidate.segment ? `${candidate.segment} customer` : 'customer'}`;
    const issue = issues.get(candidate.issueId)!;
    return {
      text: text.length > verbatimLength.max ? `${text.slice(0, verbatimLength.max - 1)}…` : text,
      attribution: `${who}, via ${candidate.source === 'other' ? 'a colleague' : sourceWords[candidate.source]}`,
      stageName: issue.stageName,
      issueNumber: issue.number,
    };
  });
}
