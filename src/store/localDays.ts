// Weeks and periods are calendar days in the organisation's time zone. PostgreSQL turns a
// local midnight into an instant, so a daylight-saving day counts 23 or 25 hours and no
// event lands in the wrong week.
import type { Period } from '../domain/periods.js';
import type { Db } from './database.js';
import { Prisma } from './generated/client.js';

/** `column` (a timestamptz) is at or after local midnight starting `from` and before local midnight starting `until` (YYYY-MM-DD). */
export function betweenLocalMidnights(column: string, from: string, until: string, timeZone: string): Prisma.Sql {
  const at = Prisma.raw(column);
  return Prisma.sql`${at} >= (${from}::date::timestamp AT TIME ZONE ${timeZone}) AND ${at} < (${until}::date::timestamp AT TIME ZONE ${timeZone})`;
}

/** The same two local midnights as instants, for Prisma filters (`{ gte, lt }`). */
export async function localMidnights(
  db: Db,
  from: string,
  until: string,
  timeZone: string,
): Promise<{ gte: Date; lt: Date }> {
  const [row] = await db.$queryRaw<[{ gte: Date; lt: Date }]>`
    SELECT (${from}::date::timestamp AT TIME ZONE ${timeZone}) AS gte, (${until}::date::timestamp AT TIME ZONE ${timeZone}) AS lt`;
  return row;
}

/**
 * A row set `(period_index, from_at, until_at)` of the periods' local midnights as instants, for a
 * `WITH span AS (…)`: joining it lets one grouped scan count every period a digest compares.
 */
export function periodSpans(periods: Period[], timeZone: string): Prisma.Sql {
  const indexes = periods.map((_, index) => index);
  return Prisma.sql`
    SELECT s.period_index, (s.start::date::timestamp AT TIME ZONE ${timeZone}) AS from_at,
           (s.until::date::timestamp AT TIME ZONE ${timeZone}) AS until_at
      FROM unnest(${indexes}::int[], ${periods.map((period) => period.start)}::text[], ${periods.map((period) => period.end)}::text[]) AS s(period_index, start, until)`;
}
