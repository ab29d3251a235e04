import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordCustomerEventBatch } from '../../src/domain/customerEvents.js';
import { movementHistory } from '../../src/domain/movementHistory.js';
import { periodOf } from '../../src/domain/periods.js';
import { customerEventStore } from '../../src/store/customerAssetStore.js';
import { movementHistoryStore } from '../../src/store/movementHistoryStore.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

let test: TestDatabase;
beforeAll(async () => {
  test = await freshDatabase();
});
afterAll(() => test?.drop());

let id = 0;
const event = (segment: string, kind: string, occurred_at: string, customer = `c-${++id}`) => ({
  external_id: `e-${++id}`,
  customer_id: customer,
  customer_name: `Customer ${customer}`,
  segment,
  kind,
  value: 100,
  occurred_at,
});

describe('customers won and lost per period, in PostgreSQL', () => {
  it('counts 13 weeks per segment and in total, in the organisation time zone, whole customers', async () => {
    const result = await recordCustomerEventBatch(customerEventStore(test.database.prisma), [
      event('Retail', 'won', '2026-10-25T23:30:00Z'), // Monday 26 Oct 00:30 in Paris
      event('Retail', 'won', '2026-10-25T22:30:00Z'), // Sunday 25 Oct 23:30 in Paris: the week before
      event('Retail', 'reactivated', '2026-10-27T09:00:00Z', 'back-1'),
      event('Retail', 'reactivated', '2026-10-28T09:00:00Z', 'back-1'), // the same customer twice: once
      event('Enterprise', 'lost', '2026-10-28T09:00:00Z'),
      event('Enterprise', 'expanded', '2026-10-28T09:00:00Z'), // not a customer won or lost
      event('Enterprise', 'won', '2026-08-23T12:00:00Z'), // Sunday 23 Aug: the week before the first one charted
      event('Enterprise', 'lost', '2026-11-23T12:00:00Z'), // after the last week charted
    ]);
    expect(result.rejected).toEqual([]);

    const history = await movementHistory(
      movementHistoryStore(test.database.prisma),
      periodOf('week', '2026-11-16'),
      'Europe/Paris',
      'en-GB',
    );
    const [total, ...segments] = history.series;
    expect(total!.segment).toBeNull();
    expect(total!.points.map((point) => point.periodStart)).toEqual([
      '2026-08-24',
      '2026-08-31',
      '2026-09-07',
      '2026-09-14',
      '2026-09-21',
      '2026-09-28',
      '2026-10-05',
      '2026-10-12',
      '2026-10-19',
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
    ]);
    const week = (series: typeof total, start: string) => series!.points.find((point) => point.periodStart === start);
    expect(week(total, '2026-10-26')).toMatchObject({ gained: 2, lost: 1, net: 1 });
    expect(week(total, '2026-10-19')).toMatchObject({ gained: 1, lost: 0, net: 1 });
    expect(total!.points.reduce((sum, point) => sum + point.gained + point.lost, 0)).toBe(4);
    expect(segments.map((series) => series.segment)).toEqual(['Retail', 'Enterprise']);
    expect(week(segments[1], '2026-10-26')).toMatchObject({ gained: 0, lost: 1, net: -1 });
  });

  it('counts months the same way', async () => {
    const history = await movementHistory(
      movementHistoryStore(test.database.prisma),
      periodOf('month', '2026-11-01'),
      'Europe/Paris',
      'en-GB',
    );
    const october = history.series[0]!.points.find((point) => point.periodStart === '2026-10-01');
    expect(history.series[0]!.points).toHaveLength(13);
    expect(october).toMatchObject({ gained: 3, lost: 1 });
  });
});
