// Customers won and lost in each of the last periods, for the company and its busiest
// segments: the picture beside the digest's numbers. Whole customers, as everywhere else.
import { formatSignedCount } from './numbers.js';
import { describePeriod, periodOf, previousPeriod, type Period, type PeriodKind } from './periods.js';
import { addDays } from './weeks.js';

/** Periods a chart covers: a quarter of weeks, a year and a month of months. */
export const periodsCharted = 13;
/** Segments charted beside the company: more panels would be too small to read in chat. */
export const segmentsCharted = 3;

export interface MovementPoint {
  /** First local date of the period (YYYY-MM-DD). */
  periodStart: string;
  /** Short name for an axis: "17 Nov", "Oct 2026". */
  label: string;
  /** Customers won or come back. */
  gained: number;
  lost: number;
  /** gained - lost, as the digest's net change counts it. */
  net: number;
}

export interface MovementSeries {
  /** null for the whole company. */
  segment: string | null;
  points: MovementPoint[];
}

export interface MovementHistory {
  periodKind: PeriodKind;
  /** The company first, then the busiest segments over the periods charted. */
  series: MovementSeries[];
}

/** One row from the store: customers gained and lost in one period, for a segment or (null) in total. */
export interface PeriodMovementAggregate {
  segment: string | null;
  periodStart: string;
  gained: number;
  lost: number;
}

export interface MovementHistoryStore {
  /** Gained and lost customers per period of `kind` from `from` up to `until` (local dates), per segment and in total. */
  periodMovementAggregates(
    kind: PeriodKind,
    from: string,
    until: string,
    timeZone: string,
  ): Promise<PeriodMovementAggregate[]>;
}

/** The `count` periods ending with `last`, oldest first. */
export function periodsEndingWith(last: Period, count: number = periodsCharted): Period[] {
  const periods = [last];
  while (periods.length < count) periods.unshift(previousPeriod(periods[0]!));
  return periods;
}

function axisLabel(period: Period, locale: string): string {
  const at = new Date(`${period.start}T12:00:00Z`);
  if (period.kind === 'week')
    return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(at);
  if (period.kind === 'month')
    return new Intl.DateTimeFormat(locale, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(at);
  return describePeriod(period, locale).split(' (')[0]!;
}

/**
 * The last period a digest about `period` charts: a week charts 13 weeks; a month, quarter or
 * year charts the 13 months up to its last one, so a year is set against the one before and the
 * picture never costs a scan of thirteen years.
 */
export function periodCharted(period: Period): Period {
  return period.kind === 'week' ? period : periodOf('month', addDays(period.end, -1));
}

/**
 * The last month a report about `period` charts: its own last month, or the month of `today`
 * while the period is still running, so a year so far shows no empty months still to come.
 * Months, whatever the report's kind: thirteen of them show a year against the one before.
 */
export function lastMonthCharted(period: Period, today: string): Period {
  const lastDay = addDays(period.end, -1);
  return periodOf('month', lastDay < today ? lastDay : today);
}

export function buildMovementHistory(
  periods: Period[],
  aggregates: PeriodMovementAggregate[],
  locale: string,
): MovementHistory {
  const kind = periods[0]?.kind ?? 'week';
  const bySegment = new Map<string | null, Map<string, PeriodMovementAggregate>>([[null, new Map()]]);
  for (const row of aggregates) {
    const rows = bySegment.get(row.segment) ?? new Map<string, PeriodMovementAggregate>();
    rows.set(row.periodStart, row);
    bySegment.set(row.segment, rows);
  }
  const seriesOf = (segment: string | null): MovementSeries => ({
    segment,
    points: periods.map((period) => {
      const row = bySegment.get(segment)?.get(period.start);
      const gained = row?.gained ?? 0;
      const lost = row?.lost ?? 0;
      return { periodStart: period.start, label: axisLabel(period, locale), gained, lost, net: gained - lost };
    }),
  });
  const busiest = [...bySegment.keys()]
    .filter((segment): segment is string => segment !== null)
    .map((segment) => seriesOf(segment))
    .map((series) => ({ series, moved: series.points.reduce((sum, point) => sum + point.gained + point.lost, 0) }))
    .filter(({ moved }) => moved > 0)
    .sort((a, b) => b.moved - a.moved || a.series.segment!.localeCompare(b.series.segment!))
    .slice(0, segmentsCharted)
    .map(({ series }) => series);
  return { periodKind: kind, series: [seriesOf(null), ...busiest] };
}

/** A chart with nothing on it says nothing: it is left out. */
export function hasMovement(history: MovementHistory): boolean {
  return history.series.some((series) => series.points.some((point) => point.gained > 0 || point.lost > 0));
}

export async function movementHistory(
  store: MovementHistoryStore,
  last: Period,
  timeZone: string,
  locale: string,
): Promise<MovementHistory> {
  const periods = periodsEndingWith(last);
  const aggregates = await store.periodMovementAggregates(last.kind, periods[0]!.start, last.end, timeZone);
  return buildMovementHistory(periods, aggregates, locale);
}

/** Every number the chart shows, in words, for screen readers, notifications and alt text. */
export function movementHistoryWords(
  history: MovementHistory,
  seriesName: (segment: string | null) => string,
): string[] {
  return history.series.map((series) => {
    const periods = series.points
      .map((point) => `${point.label}: won ${point.gained}, lost ${point.lost}, net ${formatSignedCount(point.net)}`)
      .join('; ');
    return `${seriesName(series.segment)}, customers won and lost: ${periods}`;
  });
}
