// The State of the Customer's figures, aggregated in SQL over the period's local dates, so a
// year costs a few set-based scans whatever is stored: one over the period's customer events
// (by segment, by market area, in total), one over its losses, one over the feedback of the
// period and the one before, and small lookups of resolved and open issues.
import type { MovementKind } from '../domain/customerEvents.js';
import type { Period } from '../domain/periods.js';
import {
  baselineDaysBeforeResolution,
  unassignedArea,
  type AssetAggregate,
  type StateOfTheCustomerStore,
} from '../domain/stateOfTheCustomer.js';
import type { Db } from './database.js';
import { betweenLocalMidnights } from './localDays.js';
import { Prisma } from './generated/client.js';

/** Complaints are what customers said that was not praise, as the early warnings count them. */
const complaint = Prisma.sql`f.sentiment IS DISTINCT FROM 'positive'`;

/** A local midnight as an instant. */
const midnight = (date: string, timeZone: string) => Prisma.sql`(${date}::date::timestamp AT TIME ZONE ${timeZone})`;

export function stateOfTheCustomerStore(db: Db): StateOfTheCustomerStore {
  return {
    async assetAggregates(period, timeZone) {
      const rows = await db.$queryRaw<
        {
          segment: string | null;
          area: string | null;
          by_segment: number;
          by_area: number;
          kind: MovementKind;
          customers: number;
          value: string;
        }[]
      >`
        SELECT e.segment, COALESCE(c.market_area, e.segment) AS area, e.kind::text AS kind,
               1 - GROUPING(e.segment) AS by_segment, 1 - GROUPING(COALESCE(c.market_area, e.segment)) AS by_area,
               count(DISTINCT e.customer_id)::int AS customers, sum(e.value)::text AS value
          FROM customer_event e
          JOIN customer c ON c.id = e.customer_id
         WHERE ${betweenLocalMidnights('e.occurred_at', period.start, period.end, timeZone)}
           AND e.kind <> 'active' -- a sign of life is not a movement
         GROUP BY GROUPING SETS ((e.segment, e.kind), (COALESCE(c.market_area, e.segment), e.kind), (e.kind))`;
      return rows.map(
        (row): AssetAggregate => ({
          by: row.by_segment ? 'segment' : row.by_area ? 'marketArea' : 'total',
          name: row.by_segment ? row.segment : row.by_area ? row.area : null,
          kind: row.kind,
          customers: row.customers,
          value: Number(row.value),
        }),
      );
    },

    async lossReasons(period, timeZone) {
      const rows = await db.$queryRaw<{ reason: string | null; customers: number; value: string }[]>`
        SELECT reason, count(DISTINCT customer_id)::int AS customers, sum(value)::text AS value
          FROM customer_event
         WHERE kind = 'lost' AND ${betweenLocalMidnights('occurred_at', period.start, period.end, timeZone)}
         GROUP BY reason`;
      return rows.map((row) => ({ reason: row.reason, customers: row.customers, value: Number(row.value) }));
    },

    async resolvedIssues(period, timeZone) {
      const rows = await db.$queryRaw<
        {
          number: number;
          title: string;
          stage: string;
          what_changed: string;
          resolved_at: Date;
          still_resolved: boolean;
          before: number;
          after: number;
          days_after: number;
        }[]
      >`
        WITH latest AS (
          SELECT DISTINCT ON (r.issue_id) r.issue_id, r.resolved_at, r.reopened_at, r.what_changed
            FROM issue_resolution r
           WHERE ${betweenLocalMidnights('r.resolved_at', period.start, period.end, timeZone)}
           ORDER BY r.issue_id, r.resolved_at DESC)
        SELECT i.number, i.title, s.name AS stage, l.what_changed, l.resolved_at,
               (l.reopened_at IS NULL AND i.status = 'resolved') AS still_resolved,
               (SELECT count(*)::int FROM feedback f
                 WHERE f.issue_id = i.id AND ${complaint}
                   AND f.logged_at >= l.resolved_at - make_interval(days => ${baselineDaysBeforeResolution}::int)
                   AND f.logged_at < l.resolved_at) AS before,
               (SELECT count(*)::int FROM feedback f
                 WHERE f.issue_id = i.id AND ${complaint} AND f.logged_at >= l.resolved_at) AS after,
               GREATEST(0, extract(epoch FROM now() - l.resolved_at) / 86400)::float8 AS days_after
          FROM latest l
          JOIN issue i ON i.id = l.issue_id
          JOIN journey_stage s ON s.id = i.stage_id`;
      return rows.map((row) => ({
        number: row.number,
        title: row.title,
        stage: row.stage,
        whatChanged: row.what_changed,
        resolvedAt: row.resolved_at,
        stillResolved: row.still_resolved,
        complaintsBefore: row.before,
        complaintsAfter: row.after,
        daysAfter: row.days_after,
      }));
    },

    async openIssues(period, timeZone) {
      const rows = await db.$queryRaw<{ number: number; title: string; stage: string; opened_at: Date }[]>`
        SELECT i.number, i.title, s.name AS stage, i.opened_at
          FROM issue i
          JOIN journey_stage s ON s.id = i.stage_id
         WHERE i.status = 'open' AND i.opened_at < ${midnight(period.end, timeZone)}`;
      return rows.map((row) => ({ number: row.number, title: row.title, stage: row.stage, openedAt: row.opened_at }));
    },

    async issueComplaints(period: Period, previous: Period, timeZone: string) {
      const rows = await db.$queryRaw<
        {
          number: number;
          title: string;
          stage: string;
          area: string | null;
          all_areas: number;
          complaints: number;
          complaints_before: number;
          reports: number;
        }[]
      >`
        WITH counted AS (
          SELECT x.issue_id, x.area, GROUPING(x.area)::int AS all_areas,
                 count(*) FILTER (WHERE x.this_period AND x.complaint)::int AS complaints,
                 count(*) FILTER (WHERE NOT x.this_period AND x.complaint)::int AS complaints_before,
                 count(*) FILTER (WHERE x.this_period)::int AS reports
            FROM (SELECT f.issue_id, COALESCE(c.market_area, f.segment, c.segment, ${unassignedArea}) AS area,
                         f.logged_at >= ${midnight(period.start, timeZone)} AS this_period, ${complaint} AS complaint
                    FROM feedback f
                    LEFT JOIN customer c ON c.id = f.customer_id
                   WHERE f.issue_id IS NOT NULL
                     AND ${betweenLocalMidnights('f.logged_at', previous.start, period.end, timeZone)}) x
           GROUP BY GROUPING SETS ((x.issue_id, x.area), (x.issue_id)))
        SELECT i.number, i.title, s.name AS stage, counted.area, counted.all_areas,
               counted.complaints, counted.complaints_before, counted.reports
          FROM counted
          JOIN issue i ON i.id = counted.issue_id
          JOIN journey_stage s ON s.id = i.stage_id`;
      return rows.map((row) => ({
        number: row.number,
        title: row.title,
        stage: row.stage,
        marketArea: row.all_areas ? null : row.area,
        complaints: row.complaints,
        complaintsBefore: row.complaints_before,
        reports: row.reports,
      }));
    },
  };
}
