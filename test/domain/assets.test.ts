import { periodOf } from '../../src/domain/periods.js';
import { describe, expect, it } from 'vitest';
import { buildCustomerAssetReport, earnedGrowthAnswer, type MovementAggregate } from '../../src/domain/assets.js';

const format = { locale: 'en-US', currency: 'USD' };
const aggregate = (
  segment: string | null,
  kind: MovementAggregate['kind'],
  weekOffset: number,
  customers: number,
  value: number,
): MovementAggregate => ({
  segment,
  kind,
  // A week's digest asks for its week, then the four before: week -n is period n.
  periodIndex: -weekOffset,
  customers,
  value,
});

describe('the customer asset report', () => {
  const report = buildCustomerAssetReport(
    periodOf('week', '2026-11-16'),
    [
      aggregate(null, 'won', 0, 5, 50_000),
      aggregate(null, 'lost', 0, 2, 8_000),
      aggregate(null, 'reactivated', 0, 1, 1_000),
      aggregate(null, 'expanded', 0, 3, 6_000),
      aggregate(null, 'contracted', 0, 1, 500),
      aggregate(null, 'won', -1, 2, 10_000),
      aggregate(null, 'won', -2, 3, 10_000),
      aggregate(null, 'won', -4, 1, 10_000),
      aggregate('Retail', 'won', 0, 1, 10_000),
      aggregate('Enterprise', 'won', 0, 4, 40_000),
      aggregate('Dormant', 'won', -3, 1, 1_000),
    ],
    [
      { segment: null, reason: 'Price', customers: 1, value: 3_000 },
      { segment: null, reason: null, customers: 1, value: 5_000 },
    ],
  );

  it('counts whole customers gained and lost and the value that moved', () => {
    expect(report.total.current.netCustomers).toBe(4); // 5 won + 1 back − 2 lost
    expect(report.total.current.netValue).toBe(50_000 + 1_000 + 6_000 - 8_000 - 500);
  });

  it('compares with last week and with the average of the four weeks before, in whole customers', () => {
    expect(report.total.compared[0]!.won.customers).toBe(2);
    expect(report.total.compared[1]!.won.customers).toBe(2); // (2 + 3 + 0 + 1) / 4 = 1.5, rounded
    expect(Number.isInteger(report.total.compared[1]!.netCustomers)).toBe(true);
  });

  it('lists segments with movement, busiest first, and leaves out segments quiet for two weeks', () => {
    expect(report.segments.map((line) => line.segment)).toEqual(['Enterprise', 'Retail']);
  });

  it('keeps lost customers with no recorded reason visible', () => {
    expect(report.total.topLostReasons.map((reason) => reason.reason)).toEqual(['No reason recorded yet', 'Price']);
  });
});

describe('the answer to "Did we earn the right to customer growth?"', () => {
  const week = (won: number, lost: number, netValue: number, referrals = 0) => ({
    won: { customers: won, value: 0 },
    reactivated: { customers: 0, value: 0 },
    lost: { customers: lost, value: 0 },
    expanded: { customers: 0, value: 0 },
    contracted: { customers: 0, value: 0 },
    referrals: { customers: referrals, value: 0 },
    netCustomers: won - lost,
    netValue,
  });

  it('says yes when we gained customers and value', () => {
    expect(earnedGrowthAnswer(week(5, 2, 12_000, 2), format)).toBe(
      'Yes: we gained 3 customers more than we lost, customer value grew by $12,000, and 2 customers referred others.',
    );
  });

  it('says no when we lost both, and still credits referrals', () => {
    expect(earnedGrowthAnswer(week(1, 3, -4_000), format)).toBe(
      'No: we lost 2 customers more than we gained and customer value fell by $4,000.',
    );
    expect(earnedGrowthAnswer(week(1, 3, -4_000, 1), format)).toBe(
      'No: we lost 2 customers more than we gained and customer value fell by $4,000; 1 customer referred others.',
    );
  });

  it('says partly when customers and value moved in opposite directions', () => {
    expect(earnedGrowthAnswer(week(4, 3, -900), format)).toMatch(
      /^Partly: we gained 1 customer more than we lost, but customer value fell by \$900/,
    );
  });

  it('does not pretend to know when nothing was recorded', () => {
    expect(earnedGrowthAnswer(week(0, 0, 0), format)).toMatch(/No customer movements were recorded/);
  });
});
