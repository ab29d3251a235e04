// Customers gained and lost per period, for the movement chart: all the periods charted in one
// query, grouped in SQL, so a chart costs the same however many years of events are stored.
import type { MovementHistoryStore, PeriodMovementAggregate } from '../domain/movementHistory.js';
import type { PeriodKind } from '../domain/periods.js';
import type { Db } from './database.js';
import { betweenLocalMidnights } from './localDays.js';

export function movementHistoryStore(db: Db): MovementHistoryStore {
  return {
    async periodMovementAggregates(
      kind: PeriodKind,
      from: string,
      until: string,
      timeZone: string,
    ): Promise<PeriodMovementAggregate[]> {
      // Won and came back are counted apart and added, as the digest's net change counts them.
      const rows = await db.$queryRaw<
        { segment: string | null; is_total: number; period_start: string; gained: number; lost: number }[]
      >`
        SELECT segment, GROUPING(segment)::int AS is_total,
               date_trunc(${kind}, occurred_at AT TIME ZONE ${timeZone})::date::text AS period_start,
               (count(DISTINCT customer_id) FILTER (WHERE kind = 'won')
                + count(DISTINCT customer_id) FILTER (WHERE kind = 'reactivated'))::int AS gained,
               count(DISTINCT customer_id) FILTER (WHERE kind = 'lost')::int AS lost
          FROM customer_event
         WHERE kind IN ('won', 'reactivated', 'lost')
           AND ${betweenLocalMidnights('occurred_at', from, until, timeZone)}
         GROUP BY GROUPING SETS ((segment, period_start), (period_start))`;
      return rows.map((row) => ({
        segment: row.is_total ? null : row.segment,
        periodStart: row.period_start,
        gained: row.gained,
        lost: row.lost,
      }));
    },
  };
}
