// Calendar periods in the organisation's time zone: the Monday-to-Sunday week, the month,
// the quarter and the year. A period is a half-open range of local calendar dates
// [start, end); SQL turns those dates into instants in the same zone (store/localDays.ts), so
// daylight-saving changes never move an event into the wrong period and a year is counted
// the same way a week is.
import { addDays, describeWeek, isWeekStart, localDate, weekContaining } from './weeks.js';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** First local date in the period (YYYY-MM-DD). */
  start: string;
  /** First local date after the period (YYYY-MM-DD). */
  end: string;
  /** The period's name as people type it: `2026-11-23` (its Monday), `2026-10`, `2026-Q3`, `2026`. */
  name: string;
}

export const periodKinds: readonly PeriodKind[] = ['week', 'month', 'quarter', 'year'];

function ymd(year: number, month: number, day = 1): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function parts(date: string): { year: number; month: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) };
}

/** The period of `kind` that contains the local date `date` (YYYY-MM-DD). */
export function periodOf(kind: PeriodKind, date: string): Period {
  const { year, month } = parts(date);
  switch (kind) {
    case 'week': {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
      const start = addDays(date, -((weekday + 6) % 7));
      return { kind, start, end: addDays(start, 7), name: start };
    }
    case 'month':
      return { kind, start: ymd(year, month), end: ymd(year, month + 1), name: ymd(year, month).slice(0, 7) };
    case 'quarter': {
      const quarter = Math.floor((month - 1) / 3);
      return {
        kind,
        start: ymd(year, quarter * 3 + 1),
        end: ymd(year, quarter * 3 + 4),
        name: `${year}-Q${quarter + 1}`,
      };
    }
    case 'year':
      return { kind, start: ymd(year, 1), end: ymd(year + 1, 1), name: String(year) };
  }
}

/** The period of `kind` that contains `instant`, in `timeZone`. */
export function periodContaining(kind: PeriodKind, instant: Date, timeZone: string): Period {
  return kind === 'week'
    ? periodOf('week', weekContaining(instant, timeZone))
    : periodOf(kind, localDate(instant, timeZone));
}

/** The last complete period of `kind` before `instant`: what a digest about it reports. */
export function periodJustEnded(kind: PeriodKind, instant: Date, timeZone: string): Period {
  return previousPeriod(periodContaining(kind, instant, timeZone));
}

export function previousPeriod(period: Period): Period {
  return periodOf(period.kind, addDays(period.start, -1));
}

/** The same period a year before, for "against last year" comparisons. */
export function samePeriodLastYear(period: Period): Period {
  const { year, month } = parts(period.start);
  if (period.kind !== 'week') return periodOf(period.kind, ymd(year - 1, month));
  // The week that holds the same date a year before (52 weeks back keeps the weekday).
  return periodOf('week', addDays(period.start, -364));
}

/**
 * What a person typed, as a period: a kind (`month` = the last complete month), or a name:
 * `2026-11-23` (a Monday), `2026-10`, `2026-Q3`, `2026`. Undefined when it is neither.
 */
export function parsePeriod(text: string, instant: Date, timeZone: string): Period | undefined {
  const typed = text.trim().toLowerCase();
  if ((periodKinds as readonly string[]).includes(typed))
    return periodJustEnded(typed as PeriodKind, instant, timeZone);
  if (isWeekStart(typed)) return periodOf('week', typed);
  let match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(typed);
  if (match) return periodOf('month', ymd(Number(match[1]), Number(match[2])));
  match = /^(\d{4})-q([1-4])$/.exec(typed);
  if (match) return periodOf('quarter', ymd(Number(match[1]), (Number(match[2]) - 1) * 3 + 1));
  match = /^(\d{4})$/.exec(typed);
  if (match) return periodOf('year', ymd(Number(match[1]), 1));
  return undefined;
}

/** True when the period has ended by `instant` in `timeZone`. */
export function hasEnded(period: Period, instant: Date, timeZone: string): boolean {
  return localDate(instant, timeZone) >= period.end;
}

/** The first Monday on or after the period's end: when its story is delivered. */
export function deliveryDay(period: Period): string {
  const weekday = new Date(`${period.end}T00:00:00Z`).getUTCDay();
  return addDays(period.end, (8 - weekday) % 7);
}

/** "17–23 Nov 2026", "October 2026", "Q3 2026 (Jul–Sep)", "2026", for people. */
export function describePeriod(period: Period, locale: string): string {
  const at = (date: string) => new Date(`${date}T12:00:00Z`);
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
  switch (period.kind) {
    case 'week':
      return describeWeek(period.start, locale);
    case 'month':
      return format({ month: 'long', year: 'numeric' }).format(at(period.start));
    case 'quarter': {
      const months = format({ month: 'short' }).formatRange(at(period.start), at(addDays(period.end, -1)));
      return `${period.name.slice(5)} ${period.name.slice(0, 4)} (${months})`;
    }
    case 'year':
      return period.name;
  }
}

/** A week named by its Monday, as the weekly digest has always taken it, or any period. */
export function asPeriod(period: Period | string): Period {
  return typeof period === 'string' ? periodOf('week', period) : period;
}

/** "week of 17–23 Nov 2026", "October 2026", "Q3 2026 (Jul–Sep)", "2026": what a digest is about. */
export function periodTitle(period: Period, locale: string): string {
  const described = describePeriod(period, locale);
  return period.kind === 'week' ? `week of ${described}` : described;
}

/** "this month", "last month": the words a digest uses for its period and the one before. */
export function periodWords(kind: PeriodKind): { current: string; previous: string } {
  return { current: `this ${kind}`, previous: `last ${kind}` };
}

/**
 * What a digest's figures are set against. A week keeps its story: last week and the average
 * of the four weeks before. Longer periods are seasonal, so the same period a year before says
 * more than an average of the months before it; a year has only the year before.
 */
export interface Comparison {
  label: string;
  /** Averaged, in whole customers; one period for most comparisons. */
  periods: Period[];
}

export function comparisonsFor(period: Period): Comparison[] {
  const previous = previousPeriod(period);
  if (period.kind === 'week') {
    const weeks = [previous];
    while (weeks.length < 4) weeks.push(previousPeriod(weeks[weeks.length - 1]!));
    return [
      { label: 'last week', periods: [previous] },
      { label: '4-week avg', periods: weeks },
    ];
  }
  const previousWords = { label: periodWords(period.kind).previous, periods: [previous] };
  if (period.kind === 'year') return [previousWords];
  return [previousWords, { label: 'a year ago', periods: [samePeriodLastYear(period)] }];
}

/** The period itself first, then every distinct period its comparisons need: what the store aggregates over, in one query. */
export function periodsToAggregate(period: Period): Period[] {
  const all = [period];
  for (const comparison of comparisonsFor(period))
    for (const wanted of comparison.periods)
      if (!all.some((known) => known.kind === wanted.kind && known.start === wanted.start)) all.push(wanted);
  return all;
}

/** How often a channel hears the digest: each cadence is one kind of period, delivered the Monday after it ends. */
export const cadences = { weekly: 'week', monthly: 'month', quarterly: 'quarter', yearly: 'year' } as const;
export type Cadence = keyof typeof cadences;

export function cadenceOf(kind: PeriodKind): Cadence {
  return (Object.keys(cadences) as Cadence[]).find((cadence) => cadences[cadence] === kind)!;
}

/** `monthly` (or `month`), as a cadence; undefined when it is neither. */
export function parseCadence(text: string): Cadence | undefined {
  const typed = text.trim().toLowerCase();
  if (typed in cadences) return typed as Cadence;
  if ((periodKinds as readonly string[]).includes(typed)) return cadenceOf(typed as PeriodKind);
  if (typed === 'annually' || typed === 'annual') return 'yearly';
  return undefined;
}

/** What a person may type for a period, for the answer to anything else. */
export const periodExamples =
  '`week`, `month`, `quarter` or `year` (the last one that ended), or one by name: `2026-11-16` (the week starting that Monday), `2026-10`, `2026-Q3` or `2026`';

/**
 * True in the seven days from the period's delivery day, in `timeZone`: its story goes out then.
 * Not later, so a channel that subscribes in mid-December is not sent November a week late.
 */
export function isDue(period: Period, instant: Date, timeZone: string): boolean {
  const today = localDate(instant, timeZone);
  return today >= deliveryDay(period) && today < addDays(deliveryDay(period), 7);
}
