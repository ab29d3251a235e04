import { periodOf } from '../../src/domain/periods.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAssetReport } from '../../src/domain/assets.js';
import { recordCustomerEventBatch } from '../../src/domain/customerEvents.js';
import { customerAssetStore, customerEventStore } from '../../src/store/customerAssetStore.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await freshDatabase();
});
afterAll(() => test?.drop());

let id = 0;
const event = (
  segment: string,
  kind: string,
  value: number,
  occurred_at: string,
  customer = `c-${++id}`,
  extra: Record<string, string> = {},
) => ({
  external_id: `e-${++id}`,
  customer_id: customer,
  customer_name: `Customer ${customer}`,
  segment,
  kind,
  value,
  occurred_at,
  ...extra,
});

describe('customer asset aggregates in PostgreSQL', () => {
  it('counts a month by the organisation’s calendar across the change to summer time, against the month before and a year before', async () => {
    const events = customerEventStore(test.database.prisma);
    // In Paris, March 2026 runs from 1 March 00:00 (UTC+1) to 1 April 00:00 (UTC+2): clocks go forward on the 29th.
    const result = await recordCustomerEventBatch(events, [
      event('Monthly', 'won', 100, '2026-02-28T22:59:00Z'), // 28 Feb 23:59 in Paris: February
      event('Monthly', 'won', 200, '2026-02-28T23:30:00Z'), // 1 Mar 00:30 in Paris: March, though still February in UTC
      event('Monthly', 'won', 300, '2026-03-29T01:30:00Z'), // 03:30, just after the clocks went forward
      event('Monthly', 'won', 400, '2026-03-31T21:59:00Z'), // 31 Mar 23:59 in Paris: March
      event('Monthly', 'lost', 50, '2026-03-15T12:00:00Z', 'c-monthly-lost', { reason: 'Moved away' }),
      event('Monthly', 'won', 500, '2026-03-31T22:00:00Z'), // 1 Apr 00:00 in Paris: April, though still March in UTC
      event('Monthly', 'won', 600, '2025-03-20T12:00:00Z'), // March a year before
    ]);
    expect(result).toMatchObject({ stored: 7, rejected: [] });

    const report = await customerAssetReport(
      customerAssetStore(test.database.prisma),
      periodOf('month', '2026-03-01'),
      'Europe/Paris',
    );
    expect(report.comparisons).toEqual(['last month', 'a year ago']);
    expect(report.total.current.won).toEqual({ customers: 3, value: 900 });
    expect(report.total.current.lost).toEqual({ customers: 1, value: 50 });
    expect(report.total.current.netCustomers).toBe(2);
    expect(report.total.compared.map((movement) => movement.won)).toEqual([
      { customers: 1, value: 100 },
      { customers: 1, value: 600 },
    ]);
    expect(report.total.topLostReasons).toEqual([{ reason: 'Moved away', customers: 1, value: 50 }]);
  });

  it('counts customers and value per segment and in total for the week, in the organisation time zone', async () => {
    const events = customerEventStore(test.database.prisma);
    // Europe/Paris week of Monday 26 Oct 2026 has 169 hours: clocks went back on Sunday 25 Oct.
    const result = await recordCustomerEventBatch(events, [
      event('Retail', 'won', 1000, '2026-10-25T23:30:00Z'), // Monday 00:30 in Paris: this week
      event('Retail', 'won', 2000, '2026-10-25T22:30:00Z'), // Sunday 23:30 in Paris: the week before
      event('Retail', 'lost', 700, '2026-11-01T22:59:00Z', 'c-lost-1', { reason: 'Price' }), // Sunday 23:59 in Paris: this week
      event('Enterprise', 'lost', 9000, '2026-10-28T09:00:00Z', 'c-lost-2', { reason: 'Price' }),
      event('Enterprise', 'lost', 100, '2026-10-28T09:00:00Z', 'c-lost-3'),
      event('Enterprise', 'expanded', 400, '2026-10-29T09:00:00Z', 'c-grow'),
      event('Enterprise', 'expanded', 100, '2026-10-30T09:00:00Z', 'c-grow'), // the same customer grew twice: one customer
      event('Retail', 'won', 5000, '2026-11-02T00:30:00Z'), // next week
      event('Retail', 'won', 3000, '2026-10-05T12:00:00Z'), // three weeks before
    ]);
    expect(result).toEqual({ stored: 9, duplicates: 0, rejected: [] });

    const report = await customerAssetReport(
      customerAssetStore(test.database.prisma),
      periodOf('week', '2026-10-26'),
      'Europe/Paris',
    );
    const week = report.total.current;
    expect(week.won).toEqual({ customers: 1, value: 1000 });
    expect(week.lost).toEqual({ customers: 3, value: 9800 });
    expect(week.expanded).toEqual({ customers: 1, value: 500 });
    expect(week.netCustomers).toBe(-2);
    expect(week.netValue).toBe(1000 + 500 - 9800);
    expect(report.total.compared[0]!.won).toEqual({ customers: 1, value: 2000 });
    expect(report.total.compared[1]!.won.customers).toBe(1); // (1 + 0 + 1 + 0) / 4 rounds to 1 whole customer

    const enterprise = report.segments.find((line) => line.segment === 'Enterprise')!;
    expect(enterprise.current.lost).toEqual({ customers: 2, value: 9100 });
    expect(report.total.topLostReasons).toEqual([
      { reason: 'Price', customers: 2, value: 9700 },
      { reason: 'No reason recorded yet', customers: 1, value: 100 },
    ]);
    expect(enterprise.topLostReasons.map((reason) => reason.reason)).toEqual(['Price', 'No reason recorded yet']);
  });

  it('stores an event sent again once, and keeps the customer under its latest name', async () => {
    const events = customerEventStore(test.database.prisma);
    const first = event('Retail', 'won', 10, '2026-09-01T10:00:00Z', 'c-renamed');
    await recordCustomerEventBatch(events, [first]);
    const again = await recordCustomerEventBatch(events, [{ ...first, customer_name: 'Renamed Ltd' }]);
    expect(again).toEqual({ stored: 0, duplicates: 1, rejected: [] });
    const customer = await test.database.prisma.customer.findUnique({ where: { externalId: 'c-renamed' } });
    expect(customer?.name).toBe('Renamed Ltd');
  });
});
