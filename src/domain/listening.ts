// What the week's feedback says, for the digest: issues by journey stage with their
// volumes and trend, a few customers' own words, and what was fixed and who was told.
import { sourceWords, type FeedbackSource, type Severity } from './feedback.js';
import type { Sentiment } from './classification.js';
import { convergenceWords } from './issues.js';
import type { WeekStart } from './weeks.js';

export interface IssueWeekVolume {
  issueId: string;
  number: number;
  title: string;
  status: 'open' | 'resolved' | 'merged';
  stageName: string;
  stagePosition: number;
  categoryName: string;
  /** 0 for the digest's week, -1 for the week before, down to -4. */
  weekOffset: number;
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

export interface HopeWeek {
  fixes: Array<{ number: number; title: string; whatChanged: string }>;
  reportersTold: number;
  reopened: number;
}

export interface ListeningStore {
  issueWeekVolumes(weekStart: WeekStart, timeZone: string): Promise<IssueWeekVolume[]>;
  unsortedFeedback(weekStart: WeekStart, timeZone: string): Promise<number>;
  verbatimCandidates(weekStart: WeekStart, timeZone: string, issueIds: string[]): Promise<VerbatimCandidate[]>;
  hopeWeek(weekStart: WeekStart, timeZone: string): Promise<HopeWeek>;
}

export interface IssueLine {
  number: number;
  title: string;
  categoryName: string;
  status: IssueWeekVolume['status'];
  thisWeek: number;
  lastWeek: number;
  fourWeekAverage: number;
  /** "3 sources: call centre, web, store" when more than one channel heard it. */
  converging: string | null;
}

export interface StageLine {
  stageName: string;
  reports: number;
  lastWeek: number;
  issues: IssueLine[];
  /** Issues with reports this week not shown, to keep the digest readable. */
  moreIssues: number;
}

export interface ListeningReport {
  reports: number;
  lastWeek: number;
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
  weekStart: WeekStart,
  timeZone: string,
): Promise<{
  report: ListeningReport;
  topIssueIds: string[];
  issueNumbers: Map<string, { number: number; stageName: string }>;
}> {
  const [volumes, unsorted] = await Promise.all([
    store.issueWeekVolumes(weekStart, timeZone),
    store.unsortedFeedback(weekStart, timeZone),
  ]);
  const byIssue = new Map<string, { volume: IssueWeekVolume; weeks: number[]; sources: Set<FeedbackSource> }>();
  for (const volume of volumes) {
    const entry = byIssue.get(volume.issueId) ?? { volume, weeks: [0, 0, 0, 0, 0], sources: new Set<FeedbackSource>() };
    entry.weeks[-volume.weekOffset] = volume.reports;
    if (volume.weekOffset === 0) {
      for (const source of volume.sources) entry.sources.add(source);
      entry.volume = volume;
    }
    byIssue.set(volume.issueId, entry);
  }
  const stages = new Map<string, { position: number; line: StageLine; lines: Array<IssueLine & { id: string }> }>();
  for (const [id, { volume, weeks, sources }] of byIssue) {
    const stage = stages.get(volume.stageName) ?? {
      position: volume.stagePosition,
      line: { stageName: volume.stageName, reports: 0, lastWeek: 0, issues: [], moreIssues: 0 },
      lines: [],
    };
    stage.line.reports += weeks[0]!;
    stage.line.lastWeek += weeks[1]!;
    if (weeks[0]) {
      stage.lines.push({
        id,
        number: volume.number,
        title: volume.title,
        categoryName: volume.categoryName,
        status: volume.status,
        thisWeek: weeks[0],
        lastWeek: weeks[1]!,
        fourWeekAverage: Math.round((weeks[1]! + weeks[2]! + weeks[3]! + weeks[4]!) / 4),
        converging: convergenceWords([...sources].sort()),
      });
    }
    stages.set(volume.stageName, stage);
  }
  const ordered = [...stages.values()]
    .filter((stage) => stage.line.reports || stage.line.lastWeek)
    .sort((a, b) => a.position - b.position);
  const topIssueIds: string[] = [];
  for (const stage of ordered) {
    stage.lines.sort((a, b) => b.thisWeek - a.thisWeek || a.number - b.number);
    const shown = stage.lines.slice(0, issuesPerStage);
    stage.line.issues = shown.map(({ id: _id, ...line }) => line);
    stage.line.moreIssues = stage.lines.length - shown.length;
  }
  // The issues heard most this week, across stages, are where the verbatims come from.
  const busiest = ordered
    .flatMap((stage) => stage.lines)
    .sort((a, b) => b.thisWeek - a.thisWeek || a.number - b.number);
  topIssueIds.push(...busiest.slice(0, verbatimsWanted.max).map((line) => line.id));
  const issueNumbers = new Map(
    [...byIssue].map(([id, entry]) => [id, { number: entry.volume.number, stageName: entry.volume.stageName }]),
  );
  const lines = ordered.map((stage) => stage.line);
  return {
    report: {
      reports: lines.reduce((sum, line) => sum + line.reports, 0) + unsorted,
      lastWeek: lines.reduce((sum, line) => sum + line.lastWeek, 0),
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
