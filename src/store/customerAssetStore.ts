// Customer events in and weekly aggregates out. Aggregation happens in SQL so a digest
// costs the same however many years of events are stored.
import type { CustomerAssetStore, LostReasonAggregate, MovementAggregate } from '../domain/assets.js';
import { lifeAggregates } from './customerLifeStore.js';
import type { CustomerEventKind, CustomerEventStore } from '../domain/customerEvents.js';
import { prismaTransaction, writeCustomerEvents } from '../ingest/customerEventWriter.js';
import { addDays, type WeekStart } from '../domain/weeks.js';
import type { Db } from './database.js';
import { betweenLocalMidnights } from './localDays.js';

export function customerEventStore(db: Db): CustomerEventStore {
  const transaction = prismaTransaction(db);
  return { recordCustomerEvents: (events) => writeCustomerEvents(transaction, events) };
}

export function customerAssetStore(db: Db): CustomerAssetStore {
  return {
    lifeAggregates: (from, until, timeZone) => lifeAggregates(db, from, until, timeZone),

    async movementAggregates(weekStart: WeekStart, timeZone: string): Promise<MovementAggregate[]> {
      const rows = await db.$queryRaw<
        { segment: string | null; kind: CustomerEventKind; week_offset: number; customers: number; value: string }[]
      >`
        SELECT segment, kind::text AS kind,
               ((date_trunc('week', occurred_at AT TIME ZONE ${timeZone})::date - ${weekStart}::date) / 7)::int AS week_offset,
               count(DISTINCT customer_id)::int AS customers,
               sum(value)::text AS value
          FROM customer_event
         WHERE ${betweenLocalMidnights('occurred_at', addDays(weekStart, -28), addDays(weekStart, 7), timeZone)}
         GROUP BY GROUPING SETS ((segment, kind, week_offset), (kind, week_offset))`;
      return rows.flatMap((row) =>
        // A sign of life is not a movement; lapsing reads it in lifeAggregates.
        row.kind === 'active'
          ? []
          : [
              {
                segment: row.segment,
                kind: row.kind,
                weekOffset: row.week_offset,
                customers: row.customers,
                value: Number(row.value),
              },
            ],
      );
    },

    async lostReasonAggregates(weekStart: WeekStart, timeZone: string): Promise<LostReasonAggregate[]> {
      const rows = await db.$queryRaw<
        { segment: string | null; reason: string | null; customers: number; value: string; is_total: number }[]
      >`
        SELECT segment, reason, GROUPING(segment)::int AS is_total,
               count(DISTINCT customer_id)::int AS customers, sum(value)::text AS value
          FROM customer_event
         WHERE kind = 'lost'
           AND ${betweenLocalMidnights('occurred_at', weekStart, addDays(weekStart, 7), timeZone)}
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
