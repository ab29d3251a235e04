// Lapsed customers, moves between value tiers and the projected value of new customers,
// each over a range of local dates [from, until), so a week, a month or a year is the same
// query. All three are counted in SQL from the index on (occurred_at, …) and the one on
// (customer_id, occurred_at): only customers whose last sign of life, or whose movements,
// fall near the period are looked at, never every customer.
import type { LifeAggregate, LifeAggregates } from '../domain/assets.js';
import { defaultLapseDays, type CustomerLifeSettingsStore, type LapseWindow } from '../domain/customerLife.js';
import type { Db } from './database.js';
import { betweenLocalMidnights } from './localDays.js';
import { Prisma } from './generated/client.js';

type Grouped = { segment: string | null; is_total: number };

const bounds = (from: string, until: string, timeZone: string) => Prisma.sql`
  SELECT (${from}::date::timestamp AT TIME ZONE ${timeZone}) AS lo,
         (${until}::date::timestamp AT TIME ZONE ${timeZone}) AS hi`;

/**
 * Customers whose last sign of life (an event of any kind) was longer ago than their segment's
 * window, counted in the period in which the window ran out. A later sign of life ends the lapse:
 * the customer is then simply a customer again (not counted as reactivated, which stays for
 * customers who left). Customers whose last say was `lost` chose to leave and are not lapsed, and
 * a paying Stripe subscription keeps a customer alive whatever the events say.
 *
 * `windows` are the segments' own windows (the lapse_window table); the rest use the default.
 */
export function lapsedCustomersSql(from: string, until: string, timeZone: string, windows: LapseWindow[]): Prisma.Sql {
  const segmentsByDays = new Map<number, string[]>([[defaultLapseDays, []]]);
  for (const window of windows)
    segmentsByDays.set(window.days, [...(segmentsByDays.get(window.days) ?? []), window.segment.toLowerCase()]);
  const ownWindows = windows.map((window) => window.segment.toLowerCase());
  // One stretch of events per window length: a sign of life that runs out in the period lies that
  // many local days before it, so each reads a period's worth of events, never years. The bounds
  // are constants when the statement is planned, so the planner sees how few rows that is.
  const stretches = [...segmentsByDays].map(([days, segments]) => {
    const whose =
      days === defaultLapseDays
        ? Prisma.sql`(lower(e.segment) = ANY (${segments}::text[]) OR lower(e.segment) <> ALL (${ownWindows}::text[]))`
        : Prisma.sql`lower(e.segment) = ANY (${segments}::text[])`;
    return Prisma.sql`
      SELECT e.customer_id, e.segment, e.occurred_at,
             -- Local calendar days, so a window across a daylight-saving change is still whole days.
             ((e.occurred_at AT TIME ZONE ${timeZone}) + make_interval(days => ${days}::int)) AT TIME ZONE ${timeZone} AS lapses_at
        FROM customer_event e
       WHERE e.occurred_at >= ((${from}::date - ${days}::int)::timestamp AT TIME ZONE ${timeZone})
         AND e.occurred_at < ((${until}::date - ${days}::int)::timestamp AT TIME ZONE ${timeZone})
         AND ${whose}`;
  });
  return Prisma.sql`
    WITH last_signs AS (${Prisma.join(stretches, ' UNION ALL ')}),
    -- Materialized so the subscription check below runs only for the few who were silent.
    silent AS MATERIALIZED (
      SELECT s.customer_id, s.segment, s.lapses_at
        FROM last_signs s
        -- One read of the customer's events before the window ran out, from the index alone: their
        -- latest sign of life, and their last say (won, reactivated or lost; at one instant,
        -- reactivated counts over lost, and lost over won).
       CROSS JOIN LATERAL (
         SELECT max(m.occurred_at) AS last_life,
                (array_agg(m.kind ORDER BY m.occurred_at DESC, m.kind DESC)
                   FILTER (WHERE m.kind IN ('won', 'reactivated', 'lost')))[1] AS last_say
           FROM customer_event m
          WHERE m.customer_id = s.customer_id AND m.occurred_at < s.lapses_at
       ) life
        -- Nothing between this sign of life and the window's end; life after that ends the lapse, not undoes it.
       WHERE life.last_life = s.occurred_at
         AND life.last_say IS DISTINCT FROM 'lost'
    ),
    lapsed AS (
      SELECT DISTINCT s.customer_id, s.segment
        FROM silent s
       WHERE NOT EXISTS (SELECT 1 FROM stripe_subscription p
                          WHERE p.stripe_customer_id = (SELECT c.external_id FROM customer c WHERE c.id = s.customer_id)
                            AND p.active_from <= s.lapses_at AND (p.ended_at IS NULL OR p.ended_at > s.lapses_at))
    )
    SELECT segment, GROUPING(segment)::int AS is_total, count(DISTINCT customer_id)::int AS customers
      FROM lapsed
     GROUP BY GROUPING SETS ((segment), ())`;
}

/**
 * A customer's yearly value at an instant: what they were won (or came back) at, plus what they
 * bought more, less what they pulled back, since they last left; never below zero. They are a
 * customer then if their latest won or reactivated is after their latest lost. Only customers with
 * a movement in the period can change tier, so only they are valued, at its start and its end.
 */
function tierMovesSql(from: string, until: string, timeZone: string): Prisma.Sql {
  return Prisma.sql`
    WITH bounds AS (${bounds(from, until, timeZone)}),
    touched AS (
      SELECT DISTINCT ON (e.customer_id) e.customer_id, e.segment
        FROM customer_event e
       WHERE ${betweenLocalMidnights('e.occurred_at', from, until, timeZone)}
         AND e.kind IN ('won', 'reactivated', 'lost', 'expanded', 'contracted')
       ORDER BY e.customer_id, e.occurred_at DESC
    ),
    standing AS (
      SELECT t.customer_id, t.segment, edge.is_end, at_edge.member,
             (SELECT count(*) FROM value_tier v WHERE v.min_value <= at_edge.value) AS tier
        FROM touched t
       CROSS JOIN bounds b
       CROSS JOIN LATERAL (VALUES (false, b.lo), (true, b.hi)) AS edge(is_end, at)
       CROSS JOIN LATERAL (
         SELECT COALESCE(max(x.occurred_at) FILTER (WHERE x.kind IN ('won', 'reactivated'))
                           > COALESCE(max(x.occurred_at) FILTER (WHERE x.kind = 'lost'), '-infinity'::timestamptz),
                         false) AS member,
                GREATEST(0, COALESCE(sum(x.signed) FILTER (WHERE x.since_left), 0)) AS value
           FROM (SELECT e.kind, e.occurred_at,
                        CASE WHEN e.kind = 'contracted' THEN -e.value
                             WHEN e.kind IN ('won', 'reactivated', 'expanded') THEN e.value
                             ELSE 0 END AS signed,
                        e.occurred_at > COALESCE(max(e.occurred_at) FILTER (WHERE e.kind = 'lost') OVER (),
                                                 '-infinity'::timestamptz) AS since_left
                   FROM customer_event e
                  WHERE e.customer_id = t.customer_id AND e.occurred_at < edge.at) x
       ) at_edge
    ),
    moves AS (
      SELECT customer_id, segment,
             max(tier) FILTER (WHERE NOT is_end) AS tier_before,
             max(tier) FILTER (WHERE is_end) AS tier_after
        FROM standing
       GROUP BY customer_id, segment
      HAVING bool_and(member)
    )
    SELECT segment, GROUPING(segment)::int AS is_total,
           count(*) FILTER (WHERE tier_after > tier_before)::int AS up,
           count(*) FILTER (WHERE tier_after < tier_before)::int AS down
      FROM moves
     GROUP BY GROUPING SETS ((segment), ())`;
}

function projectedValueSql(from: string, until: string, timeZone: string): Prisma.Sql {
  return Prisma.sql`
    SELECT segment, GROUPING(segment)::int AS is_total,
           COALESCE(sum(projected_value), 0)::text AS projected, count(DISTINCT customer_id)::int AS customers
      FROM customer_event
     WHERE kind = 'won' AND projected_value IS NOT NULL
       AND ${betweenLocalMidnights('occurred_at', from, until, timeZone)}
     GROUP BY GROUPING SETS ((segment), ())`;
}

export async function lifeAggregates(db: Db, from: string, until: string, timeZone: string): Promise<LifeAggregates> {
  const settings = customerLifeSettingsStore(db);
  const [tiers, windows] = await Promise.all([db.valueTier.count(), settings.lapseWindows()]);
  const tiersNamed = tiers > 0;
  const [lapsed, moves, projected] = await Promise.all([
    db.$queryRaw<(Grouped & { customers: number })[]>(lapsedCustomersSql(from, until, timeZone, windows)),
    tiersNamed
      ? db.$queryRaw<(Grouped & { up: number; down: number })[]>(tierMovesSql(from, until, timeZone))
      : Promise.resolve([]),
    db.$queryRaw<(Grouped & { projected: string; customers: number })[]>(projectedValueSql(from, until, timeZone)),
  ]);
  const rows = new Map<string, LifeAggregate>();
  const rowOf = (grouped: Grouped) => {
    const segment = grouped.is_total ? null : grouped.segment;
    const key = segment ?? '\u0000total';
    let row = rows.get(key);
    if (!row) {
      row = { segment, lapsed: 0, movedUpTier: 0, movedDownTier: 0, projectedValue: 0, customersWithProjection: 0 };
      rows.set(key, row);
    }
    return row;
  };
  for (const row of lapsed) rowOf(row).lapsed = row.customers;
  for (const row of moves) Object.assign(rowOf(row), { movedUpTier: row.up, movedDownTier: row.down });
  for (const row of projected)
    Object.assign(rowOf(row), { projectedValue: Number(row.projected), customersWithProjection: row.customers });
  return { tiersNamed, rows: [...rows.values()] };
}

export function customerLifeSettingsStore(db: Db): CustomerLifeSettingsStore {
  return {
    async lapseWindows() {
      const rows = await db.lapseWindow.findMany({ orderBy: { segmentKey: 'asc' } });
      return rows.map((row) => ({ segment: row.segment, days: row.days }));
    },
    async setLapseWindow({ segment, days }) {
      const segmentKey = segment.toLowerCase();
      await db.lapseWindow.upsert({
        where: { segmentKey },
        create: { segmentKey, segment, days },
        update: { segment, days },
      });
    },
    async valueTiers() {
      const rows = await db.valueTier.findMany({ orderBy: { minValue: 'asc' } });
      return rows.map((row) => ({ name: row.name, minValue: Number(row.minValue) }));
    },
    async replaceValueTiers(tiers) {
      await db.$transaction([
        db.valueTier.deleteMany(),
        db.valueTier.createMany({ data: tiers.map((tier) => ({ name: tier.name, minValue: tier.minValue })) }),
      ]);
    },
  };
}
