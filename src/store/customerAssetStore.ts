// Customer events in and per-period aggregates out. Aggregation happens in SQL, over every
// period a digest needs in one grouped scan, so a digest costs the same however many years
// of events are stored, and a year is one query as a week is.
import type { CustomerAssetStore, LostReasonAggregate, MovementAggregate } from '../domain/assets.js';
import { lifeAggregates } from './customerLifeStore.js';
import type { CustomerEventStore, MovementKind } from '../domain/customerEvents.js';
import { prismaTransaction, writeCustomerEvents } from '../ingest/customerEventWriter.js';
import type { Period } from '../domain/periods.js';
import type { Db } from './database.js';
import { betweenLocalMidnights, periodSpans } from './localDays.js';

export function customerEventStore(db: Db): CustomerEventStore {
  const transaction = prismaTransaction(db);
  return { recordCustomerEvents: (events) => writeCustomerEvents(transaction, events) };
}

export function customerAssetStore(db: Db): CustomerAssetStore {
  return {
    lifeAggregates: (from, until, timeZone) => lifeAggregates(db, from, until, timeZone),

    async movementAggregates(periods: Period[], timeZone: string): Promise<MovementAggregate[]> {
      const rows = await db.$queryRaw<
        { segment: string | null; kind: MovementKind; period_index: number; customers: number; value: string }[]
      >`
        WITH span AS (${periodSpans(periods, timeZone)})
        SELECT e.segment, e.kind::text AS kind, span.period_index,
               count(DISTINCT e.customer_id)::int AS customers,
               sum(e.value)::text AS value
          -- LATERAL: one index range scan per period, never a pass over every event.
          FROM span CROSS JOIN LATERAL (
                 SELECT segment, kind, customer_id, value FROM customer_event
                  WHERE occurred_at >= span.from_at AND occurred_at < span.until_at
                    -- A sign of life is not a movement; lapsing reads it in lifeAggregates.
                    AND kind <> 'active') e
         GROUP BY GROUPING SETS ((e.segment, e.kind, span.period_index), (e.kind, span.period_index))`;
      return rows.map((row) => ({
        segment: row.segment,
        kind: row.kind,
        periodIndex: row.period_index,
        customers: row.customers,
        value: Number(row.value),
      }));
    },

    async lostReasonAggregates(period: Period, timeZone: string): Promise<LostReasonAggregate[]> {
      const rows = await db.$queryRaw<
        { segment: string | null; reason: string | null; customers: number; value: string; is_total: number }[]
      >`
        SELECT segment, reason, GROUPING(segment)::int AS is_total,
               count(DISTINCT customer_id)::int AS customers, sum(value)::text AS value
          FROM customer_event
         WHERE kind = 'lost'
           AND ${betweenLocalMidnights('occurred_at', period.start, period.end, timeZone)}
         GROUP BY GROUPING SETS ((segment, reason), (reason))`;
      return rows.map((row) => ({
        segment: row.is_total ? null : row.segment,
        reason: row.reason,
        customers: row.customers,
        value: Number(row.value),
      }));
    },
  };
}
