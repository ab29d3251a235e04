// The State of the Customer (Bliss, CCO 2.0): what the CCO brings to annual planning. For one
// calendar period: the customer asset by segment and by market area, what improved (issues
// resolved whose complaints stayed down), the issues that linger, the top five problems in
// each market area, the biggest success, the losses and why, and where the priorities stand.
// The store aggregates in SQL; this module only ranks, filters and words what it returns.
import {
  earnedGrowthAnswer,
  earnedGrowthQuestion,
  movementFrom,
  tallyOf,
  type Movement,
  type Tally,
} from './assets.js';
import type { MovementKind } from './customerEvents.js';
import type { PriorityStanding } from './priorities.js';
import { customers, formatMoney, type NumberFormat } from './numbers.js';
import { describePeriod, previousPeriod, type Period } from './periods.js';

/** Where a customer is served when nobody said: their segment stands in, and this when there is neither. */
export const unassignedArea = 'Unassigned';

/** How long before a resolution its complaints are counted, as the level they had to stay below. */
export const baselineDaysBeforeResolution = 28;

export interface AssetAggregate {
  /** `segment` and `marketArea` lines, or the whole company (`total`, name null). */
  by: 'segment' | 'marketArea' | 'total';
  name: string | null;
  kind: MovementKind;
  customers: number;
  value: number;
}

export interface ResolvedIssueFigures {
  number: number;
  title: string;
  stage: string;
  whatChanged: string;
  resolvedAt: Date;
  /** Complaints in the `baselineDaysBeforeResolution` days before it was resolved. */
  complaintsBefore: number;
  /** Complaints from the resolution until now: "stayed down" is about what happened since, up to the meeting. */
  complaintsAfter: number;
  daysAfter: number;
  /** Still resolved: it did not reopen since. */
  stillResolved: boolean;
}

export interface OpenIssueFigures {
  number: number;
  title: string;
  stage: string;
  openedAt: Date;
}

export interface LingeringIssue extends OpenIssueFigures {
  /** Reports in the period. */
  reports: number;
}

export interface IssueComplaints {
  number: number;
  title: string;
  stage: string;
  /** Market area (falling back to segment) of the customers who complained; null for the issue in all areas. */
  marketArea: string | null;
  complaints: number;
  /** The same count in the period before, for the biggest fall. */
  complaintsBefore: number;
  /** Every report in the period, praise included. */
  reports: number;
}

export interface LossReasonFigures {
  reason: string | null;
  customers: number;
  value: number;
}

export interface StateOfTheCustomerStore {
  assetAggregates(period: Period, timeZone: string): Promise<AssetAggregate[]>;
  lossReasons(period: Period, timeZone: string): Promise<LossReasonFigures[]>;
  resolvedIssues(period: Period, timeZone: string): Promise<ResolvedIssueFigures[]>;
  /** Issues open now that were opened before the period ended. */
  openIssues(period: Period, timeZone: string): Promise<OpenIssueFigures[]>;
  /** Complaints per issue and market area in the period and in the period before (`previous`). */
  issueComplaints(period: Period, previous: Period, timeZone: string): Promise<IssueComplaints[]>;
}

export interface AssetLine {
  name: string;
  movement: Movement;
}

export interface Improvement extends ResolvedIssueFigures {
  /** Complaints a week before and since, for the words. */
  weeklyBefore: number;
  weeklyAfter: number;
}

export interface AreaProblems {
  marketArea: string;
  complaints: number;
  problems: Array<{ number: number; title: string; stage: string; complaints: number }>;
}

export interface BiggestSuccess {
  number: number;
  title: string;
  stage: string;
  from: number;
  to: number;
}

export interface StateOfTheCustomer {
  period: Period;
  periodLabel: string;
  previousLabel: string;
  question: string;
  answer: string;
  total: Movement;
  bySegment: AssetLine[];
  byMarketArea: AssetLine[];
  improved: Improvement[];
  longestOpen: LingeringIssue[];
  mostReported: LingeringIssue[];
  topProblemsByArea: AreaProblems[];
  biggestSuccess?: BiggestSuccess;
  losses: { customers: number; value: number; reasons: Array<{ reason: string; customers: number; value: number }> };
  /** The priorities open now and those done, as they stand today. */
  priorities: PriorityStanding[];
  format: NumberFormat;
}

/** Signed, expiring links to one period's full report, as a page and as a PDF. */
export interface StateOfTheCustomerLinkMaker {
  links(period: Period, expiresAt: Date): { page: string; pdf: string; onPublicUrl: boolean };
}

export interface StateOfTheCustomerSettings extends NumberFormat {
  timeZone: string;
}

function movementOf(rows: AssetAggregate[]): Movement {
  const tallies: Record<string, Tally> = {};
  for (const row of rows) {
    const name = tallyOf[row.kind];
    const sum = tallies[name] ?? { customers: 0, value: 0 };
    tallies[name] = { customers: sum.customers + row.customers, value: sum.value + row.value };
  }
  return movementFrom(tallies);
}

function linesBy(rows: AssetAggregate[], by: AssetAggregate['by']): AssetLine[] {
  const names = new Map<string, AssetAggregate[]>();
  for (const row of rows) {
    if (row.by !== by) continue;
    const name = row.name ?? unassignedArea;
    names.set(name, [...(names.get(name) ?? []), row]);
  }
  return [...names.entries()]
    .map(([name, found]) => ({ name, movement: movementOf(found) }))
    .sort(
      (a, b) =>
        Math.abs(b.movement.netValue) - Math.abs(a.movement.netValue) ||
        Math.abs(b.movement.netCustomers) - Math.abs(a.movement.netCustomers) ||
        a.name.localeCompare(b.name),
    );
}

/** A week at least, so a fix from the last days of the period is not called lasting before anyone could tell. */
export const minimumDaysAfterResolution = 7;

/** Resolved issues whose complaints a week since are below what they were a week before, and that did not reopen. */
export function improvements(resolved: ResolvedIssueFigures[]): Improvement[] {
  return resolved
    .filter(
      (issue) => issue.stillResolved && issue.complaintsBefore > 0 && issue.daysAfter >= minimumDaysAfterResolution,
    )
    .map((issue) => ({
      ...issue,
      weeklyBefore: (issue.complaintsBefore * 7) / baselineDaysBeforeResolution,
      weeklyAfter: issue.daysAfter > 0 ? (issue.complaintsAfter * 7) / issue.daysAfter : 0,
    }))
    .filter((issue) => issue.weeklyAfter < issue.weeklyBefore)
    .sort((a, b) => b.complaintsBefore - b.complaintsAfter - (a.complaintsBefore - a.complaintsAfter));
}

export const problemsPerArea = 5;
const lingeringShown = 5;

export function topProblemsByArea(rows: IssueComplaints[]): AreaProblems[] {
  const areas = new Map<string, AreaProblems>();
  for (const row of rows) {
    if (row.marketArea === null || row.complaints === 0) continue;
    const area = areas.get(row.marketArea) ?? { marketArea: row.marketArea, complaints: 0, problems: [] };
    area.complaints += row.complaints;
    area.problems.push({ number: row.number, title: row.title, stage: row.stage, complaints: row.complaints });
    areas.set(row.marketArea, area);
  }
  return [...areas.values()]
    .map((area) => ({
      ...area,
      problems: area.problems
        .sort((a, b) => b.complaints - a.complaints || a.number - b.number)
        .slice(0, problemsPerArea),
    }))
    .sort((a, b) => b.complaints - a.complaints || a.marketArea.localeCompare(b.marketArea));
}

/** The issue whose complaints fell the most from the period before to this one. */
export function biggestFall(rows: IssueComplaints[]): BiggestSuccess | undefined {
  let best: BiggestSuccess | undefined;
  for (const row of rows) {
    if (row.marketArea !== null) continue;
    const fall = row.complaintsBefore - row.complaints;
    if (fall <= 0) continue;
    if (!best || fall > best.from - best.to || (fall === best.from - best.to && row.number < best.number))
      best = { number: row.number, title: row.title, stage: row.stage, from: row.complaintsBefore, to: row.complaints };
  }
  return best;
}

export async function composeStateOfTheCustomer(
  store: StateOfTheCustomerStore,
  period: Period,
  settings: StateOfTheCustomerSettings,
  priorities: PriorityStanding[],
): Promise<StateOfTheCustomer> {
  const previous = previousPeriod(period);
  const [assets, reasons, resolved, openNow, complaints] = await Promise.all([
    store.assetAggregates(period, settings.timeZone),
    store.lossReasons(period, settings.timeZone),
    store.resolvedIssues(period, settings.timeZone),
    store.openIssues(period, settings.timeZone),
    store.issueComplaints(period, previous, settings.timeZone),
  ]);
  const reportsOf = new Map(
    complaints.filter((row) => row.marketArea === null).map((row) => [row.number, row.reports]),
  );
  const open = openNow.map((issue) => ({ ...issue, reports: reportsOf.get(issue.number) ?? 0 }));
  const total = movementOf(assets.filter((row) => row.by === 'total'));
  const format = { locale: settings.locale, currency: settings.currency };
  return {
    period,
    periodLabel: describePeriod(period, settings.locale),
    previousLabel: describePeriod(previous, settings.locale),
    question: earnedGrowthQuestion,
    answer: earnedGrowthAnswer(total, format),
    total,
    bySegment: linesBy(assets, 'segment'),
    byMarketArea: linesBy(assets, 'marketArea'),
    improved: improvements(resolved),
    longestOpen: [...open]
      .sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime() || a.number - b.number)
      .slice(0, lingeringShown),
    mostReported: open
      .filter((issue) => issue.reports > 0)
      .sort((a, b) => b.reports - a.reports || a.number - b.number)
      .slice(0, lingeringShown),
    topProblemsByArea: topProblemsByArea(complaints),
    biggestSuccess: biggestFall(complaints),
    losses: {
      customers: total.lost.customers,
      value: total.lost.value,
      reasons: reasons
        .map((row) => ({ reason: row.reason ?? 'No reason given', customers: row.customers, value: row.value }))
        .sort((a, b) => b.customers - a.customers || b.value - a.value || a.reason.localeCompare(b.reason)),
    },
    priorities,
    format,
  };
}

/** "the double-charge complaints fell from 31 to 4": the biggest success in words. */
export function successWords(success: BiggestSuccess, previousLabel: string): string {
  return `Complaints about issue #${success.number} “${success.title}” (${success.stage}) fell from ${success.from} in ${previousLabel} to ${success.to}.`;
}

export function lossWords(report: StateOfTheCustomer): string {
  if (report.losses.customers === 0) return 'We lost no customers.';
  return `We lost ${customers(report.losses.customers)}, worth ${formatMoney(report.losses.value, report.format)}.`;
}

/** Days an issue has been open on `now`, for "open 214 days". */
export function daysOpen(openedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - openedAt.getTime()) / 86_400_000));
}
