// Customer events in and weekly aggregates out. Aggregation happens in SQL so a digest
// costs the same however many years of events are stored.
import type { CustomerAssetStore, LostReasonAggregate, MovementAggregate } from '../domain/assets.js';
import type { CustomerEventInput, CustomerEventKind, CustomerEventStore } from '../domain/customerEvents.js';
import { addDays, type WeekStart } from '../domain/weeks.js';
import type { Db } from './database.js';
import { betweenLocalMidnights } from './localDays.js';

export function customerEventStore(db: Db): CustomerEventStore {
  return {
    async recordCustomerEvents(events: CustomerEventInput[]) {
      return db.$transaction(async (tx) => {
        // The latest name and segment we hear for a customer wins; events keep the segment they came with.
        const latestByCustomer = new Map(events.map((event) => [event.customer_id, event]));
        // A contact on any row counts, as it would have in a batch of its own; a later row without one does not erase it.
        const contactByCustomer = new Map(events.flatMap((event) => (event.customer_contact ? [[event.customer_id, event.customer_contact] as const] : [])));
        for (const event of latestByCustomer.values()) {
          const contact = contactByCustomer.get(event.customer_id);
          await tx.customer.upsert({
            where: { externalId: event.customer_id },
            create: { externalId: event.customer_id, name: event.customer_name, segment: event.segment, contact: contact ?? null },
            update: { name: event.customer_name, segment: event.segment, ...(contact ? { contact } : {}) },
          });
        }
        const ids = await tx.customer.findMany({
          where: { externalId: { in: [...latestByCustomer.keys()] } },
          select: { id: true, externalId: true },
        });
        const idOf = new Map(ids.map((row) => [row.externalId, row.id]));
        const created = await tx.customerEvent.createMany({
          data: events.map((event) => ({
            externalId: event.external_id,
            customerId: idOf.get(event.customer_id)!,
            segment: event.segment,
            kind: event.kind,
            value: event.value,
            occurredAt: event.occurred_at,
            reason: event.reason ?? null,
            verbatim: event.verbatim ?? null,
          })),
          skipDuplicates: true,
        });
        return created.count;
      });
    },
  };
}

export function customerAssetStore(db: Db): CustomerAssetStore {
  return {
    async movementAggregates(weekStart: WeekStart, timeZone: string): Promise<MovementAggregate[]> {
      const rows = await db.$queryRaw<{ segment: string | null; kind: CustomerEventKind; week_offset: number; customers: number; value: string }[]>`
        SELECT segment, kind::text AS kind,
               ((date_trunc('week', occurred_at AT TIME ZONE ${timeZone})::date - ${weekStart}::date) / 7)::int AS week_offset,
               count(DISTINCT customer_id)::int AS customers,
               sum(value)::text AS value
          FROM customer_event
         WHERE ${betweenLocalMidnights('occurred_at', addDays(weekStart, -28), addDays(weekStart, 7), timeZone)}
         GROUP BY GROUPING SETS ((segment, kind, week_offset), (kind, week_offset))`;
      return rows.map((row) => ({ segment: row.segment, kind: row.kind, weekOffset: row.week_offset, customers: row.customers, value: Number(row.value) }));
    },

    async lostReasonAggregates(weekStart: WeekStart, timeZone: string): Promise<LostReasonAggregate[]> {
      const rows = await db.$queryRaw<{ segment: string | null; reason: string | null; customers: number; value: string; is_total: number }[]>`
        SELECT segment, reason, GROUPING(segment)::int AS is_total,
               count(DISTINCT customer_id)::int AS customers, sum(value)::text AS value
          FROM customer_event
         WHERE kind = 'lost'
           AND ${betweenLocalMidnights('occurred_at', weekStart, addDays(weekStart, 7), timeZone)}
         GROUP BY GROUPING SETS ((segment, reason), (reason))`;
      return rows.map((row) => ({ segment: row.is_total ? null : row.segment, reason: row.reason, customers: row.customers, value: Number(row.value) }));
    },
  };
}
