import { describe, expect, it } from 'vitest';
import { periodCharted, periodsEndingWith } from '../../src/domain/movementHistory.js';
import {
  comparisonsFor,
  deliveryDay,
  describePeriod,
  isDue,
  parseCadence,
  periodsToAggregate,
  parsePeriod,
  periodJustEnded,
  previousPeriod,
  samePeriodLastYear,
} from '../../src/domain/periods.js';

const mondayMorning = new Date('2026-12-07T08:00:00Z');

describe('calendar periods in the organisation time zone', () => {
  it('reads what people type as the period they mean', () => {
    expect(parsePeriod('month', mondayMorning, 'UTC')).toEqual({
      kind: 'month',
      start: '2026-11-01',
      end: '2026-12-01',
      name: '2026-11',
    });
    expect(parsePeriod('quarter', mondayMorning, 'UTC')).toMatchObject({ start: '2026-07-01', end: '2026-10-01' });
    expect(parsePeriod('year', mondayMorning, 'UTC')).toMatchObject({ start: '2025-01-01', end: '2026-01-01' });
    expect(parsePeriod('week', mondayMorning, 'UTC')).toMatchObject({ start: '2026-11-30', end: '2026-12-07' });
    expect(parsePeriod('2026-10', mondayMorning, 'UTC')).toMatchObject({ kind: 'month', start: '2026-10-01' });
    expect(parsePeriod('2026-Q4', mondayMorning, 'UTC')).toMatchObject({ start: '2026-10-01', end: '2027-01-01' });
    expect(parsePeriod('2026', mondayMorning, 'UTC')).toMatchObject({ kind: 'year', end: '2027-01-01' });
    expect(parsePeriod('2026-11-23', mondayMorning, 'UTC')).toMatchObject({ kind: 'week', end: '2026-11-30' });
  });

  it('refuses what is not a period: months past 12, quarter 5, a Tuesday, an impossible date', () => {
    for (const typed of ['2026-13', '2026-Q5', '2026-11-24', '2026-02-30', 'fortnight', '']) {
      expect(parsePeriod(typed, mondayMorning, 'UTC'), typed).toBeUndefined();
    }
  });

  it('uses the organisation calendar: 1 December 01:00 in Tokyo is still November in UTC', () => {
    const instant = new Date('2026-11-30T16:00:00Z');
    expect(periodJustEnded('month', instant, 'Asia/Tokyo').name).toBe('2026-11');
    expect(periodJustEnded('month', instant, 'UTC').name).toBe('2026-10');
  });

  it('compares with the period before and the same period a year before', () => {
    const q1 = parsePeriod('2026-Q1', mondayMorning, 'UTC')!;
    expect(previousPeriod(q1).name).toBe('2025-Q4');
    expect(samePeriodLastYear(q1).name).toBe('2025-Q1');
    const week = parsePeriod('2026-11-23', mondayMorning, 'UTC')!;
    expect(samePeriodLastYear(week).name).toBe('2025-11-24');
  });

  it('delivers a period on the first Monday after it ends', () => {
    expect(deliveryDay(parsePeriod('2026-11', mondayMorning, 'UTC')!)).toBe('2026-12-07');
    // 1 June 2026 is a Monday, so the story of May comes that very day.
    expect(deliveryDay(parsePeriod('2026-05', mondayMorning, 'UTC')!)).toBe('2026-06-01');
  });

  it('names periods for people', () => {
    expect(describePeriod(parsePeriod('2026-10', mondayMorning, 'UTC')!, 'en-GB')).toBe('October 2026');
    expect(describePeriod(parsePeriod('2026-Q3', mondayMorning, 'UTC')!, 'en-GB')).toMatch(
      /^Q3 2026 \(Jul\s?–\s?Sept?\)$/,
    );
    expect(describePeriod(parsePeriod('2026', mondayMorning, 'UTC')!, 'en-GB')).toBe('2026');
  });
});

describe('what a digest compares a period with', () => {
  it('keeps the week’s last week and 4-week average, and sets longer periods against the one before and a year before', () => {
    const week = parsePeriod('2026-11-23', mondayMorning, 'UTC')!;
    expect(comparisonsFor(week).map((comparison) => [comparison.label, comparison.periods.map((p) => p.name)])).toEqual(
      [
        ['last week', ['2026-11-16']],
        ['4-week avg', ['2026-11-16', '2026-11-09', '2026-11-02', '2026-10-26']],
      ],
    );
    const month = parsePeriod('2026-10', mondayMorning, 'UTC')!;
    expect(
      comparisonsFor(month).map((comparison) => [comparison.label, comparison.periods.map((p) => p.name)]),
    ).toEqual([
      ['last month', ['2026-09']],
      ['a year ago', ['2025-10']],
    ]);
    // A year's "year before" is its year ago: compared once.
    expect(comparisonsFor(parsePeriod('2026', mondayMorning, 'UTC')!).map((comparison) => comparison.label)).toEqual([
      'last year',
    ]);
  });

  it('asks the store for each period once, the digest’s own first', () => {
    expect(periodsToAggregate(parsePeriod('2026-11-23', mondayMorning, 'UTC')!).map((p) => p.name)).toEqual([
      '2026-11-23',
      '2026-11-16',
      '2026-11-09',
      '2026-11-02',
      '2026-10-26',
    ]);
    expect(periodsToAggregate(parsePeriod('2026-Q3', mondayMorning, 'UTC')!).map((p) => p.name)).toEqual([
      '2026-Q3',
      '2026-Q2',
      '2025-Q3',
    ]);
  });
});

describe('cadences and when a period is due', () => {
  it('reads how often a channel wants the digest', () => {
    expect(parseCadence('Monthly')).toBe('monthly');
    expect(parseCadence('quarter')).toBe('quarterly');
    expect(parseCadence('annually')).toBe('yearly');
    expect(parseCadence('fortnightly')).toBeUndefined();
  });

  it('is due in the week from its first Monday after it ends, in the organisation time zone, and not after', () => {
    const september = parsePeriod('2026-09', mondayMorning, 'UTC')!;
    expect(isDue(september, new Date('2026-10-05T06:00:00Z'), 'Europe/Paris')).toBe(true);
    // Sunday 4 October 23:30 in UTC is already Monday morning in Tokyo.
    expect(isDue(september, new Date('2026-10-04T23:30:00Z'), 'UTC')).toBe(false);
    expect(isDue(september, new Date('2026-10-04T23:30:00Z'), 'Asia/Tokyo')).toBe(true);
    expect(isDue(september, new Date('2026-10-12T06:00:00Z'), 'Europe/Paris')).toBe(false);
  });
});

describe('the chart a story carries', () => {
  it('charts a month, quarter or year as the 13 months up to its end, and a week as 13 weeks', () => {
    const quarter = periodsEndingWith(periodCharted(parsePeriod('2026-Q3', mondayMorning, 'UTC')!));
    expect([quarter[0]!.name, quarter.at(-1)!.name, quarter.length]).toEqual(['2025-09', '2026-09', 13]);
    const year = periodsEndingWith(periodCharted(parsePeriod('2025', mondayMorning, 'UTC')!));
    expect([year[0]!.name, year.at(-1)!.name]).toEqual(['2024-12', '2025-12']);
    const weeks = periodsEndingWith(periodCharted(parsePeriod('2026-11-23', mondayMorning, 'UTC')!));
    expect([weeks[0]!.name, weeks.at(-1)!.name]).toEqual(['2026-08-31', '2026-11-23']);
  });
});
