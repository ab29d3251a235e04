// The early warning check's figures, aggregated in SQL: each moment's latest reading, and
// complaints per stage and per (stage, category) for this week and the baseline weeks, in
// one grouped scan. The whole check runs under one advisory lock, so two processes checking
// at once take turns, and the second finds the first's warnings already raised.
import {
  contextKey,
  baselineStart,
  type ComplaintCounts,
  type EarlyWarningStore,
  type WarningRecord,
  type LostCustomer,
  type MomentState,
  type VerbatimCandidate,
  type WarningCheckStore,
  type WarningCheckTx,
} from '../domain/warnings.js';
import type { FeedbackSource, Severity } from '../domain/feedback.js';
import type { WarningRecordStore } from '../domain/warningCommands.js';
import type { WarningStory } from '../domain/warningNotices.js';
import { addDays } from '../domain/weeks.js';
import type { Db } from './database.js';
import { Prisma } from './generated/client.js';
import { queueNotices } from './issueStore.js';
import { betweenLocalMidnights } from './localDays.js';
import { momentOf } from './momentStore.js';

type Tx = Prisma.TransactionClient;

/** Complaints are what customers said that was not praise: negative, neutral, or not yet read by the classifier. */
const complaint = Prisma.sql`f.sentiment IS DISTINCT FROM 'positive'`;

function checkTx(tx: Tx | Db): WarningCheckTx {
  return {
    async snapshot(weekStart, timeZone, now) {
      // Each moment with its stage and latest reading, in one statement: the check runs every few minutes.
      const momentRows = await tx.$queryRaw<
        Array<{
          id: string;
          name: string;
          stage_id: string;
          stage_name: string;
          metric: string;
          unit: string;
          better: 'higher' | 'lower';
          standard: number;
          owner_kind: 'person' | 'channel';
          owner_platform: 'slack' | 'teams';
          owner_id: string;
          owner_name: string | null;
          below_since: Date | null;
          value: number | null;
          measured_at: Date | null;
        }>
      >`
        SELECT m.id, m.name, m.stage_id, s.name AS stage_name, m.metric, m.unit, m.better::text AS better, m.standard,
               m.owner_kind::text AS owner_kind, m.owner_platform::text AS owner_platform, m.owner_id, m.owner_name,
               m.below_since, r.value, r.measured_at
          FROM moment m
          JOIN journey_stage s ON s.id = m.stage_id
          LEFT JOIN LATERAL (SELECT value, measured_at FROM metric_reading WHERE moment_id = m.id
                              ORDER BY measured_at DESC, received_at DESC, id DESC LIMIT 1) r ON true
         WHERE m.retired_at IS NULL
         ORDER BY m.position`;
      const moments: MomentState[] = momentRows.map((row) => ({
        moment: momentOf({
          id: row.id,
          name: row.name,
          stageId: row.stage_id,
          stage: { name: row.stage_name },
          metric: row.metric,
          unit: row.unit,
          better: row.better,
          standard: row.standard,
          ownerKind: row.owner_kind,
          ownerPlatform: row.owner_platform,
          ownerId: row.owner_id,
          ownerName: row.owner_name,
        }),
        latest: row.value !== null && row.measured_at ? { value: row.value, at: row.measured_at } : null,
        belowSince: row.below_since,
      }));

      const weeks = 1 + Math.round((Date.parse(weekStart) - Date.parse(baselineStart(weekStart))) / (7 * 86_400_000));
      // One pass over the feedback index: each complaint lands in its week by comparing its time with the weeks'
      // local midnights (worked out once, so daylight saving is right), rather than converting every row's time zone;
      // stage totals are summed below from the (stage, category) counts instead of a second grouping.
      const counts = await tx.$queryRaw<
        Array<{
          stage_id: string;
          stage_name: string;
          category_id: string | null;
          category_name: string | null;
          week: number;
          count: number;
        }>
      >`
        WITH weeks AS (
          SELECT array_agg(monday::date::timestamp AT TIME ZONE ${timeZone} ORDER BY monday) AS starts
            FROM generate_series(${baselineStart(weekStart)}::date, ${addDays(weekStart, 7)}::date, interval '7 days') monday),
        counted AS (
          SELECT f.stage_id, f.category_id, width_bucket(f.logged_at, (SELECT starts FROM weeks)) - ${weeks}::int AS week,
                 count(*)::int AS count
            FROM feedback f
           WHERE f.logged_at >= (SELECT starts[1] FROM weeks) AND f.logged_at < (SELECT starts[${weeks + 1}::int] FROM weeks)
             AND f.stage_id IS NOT NULL AND ${complaint}
           GROUP BY 1, 2, 3)
        -- Names after counting: a few hundred rows to join, not every complaint. Retired stages and categories drop out.
        SELECT c.stage_id, s.name AS stage_name, c.category_id, cat.name AS category_name, c.week, c.count
          FROM counted c
          JOIN journey_stage s ON s.id = c.stage_id AND s.retired_at IS NULL
          LEFT JOIN feedback_category cat ON cat.id = c.category_id AND cat.retired_at IS NULL`;
      const complaints = new Map<string, ComplaintCounts>();
      const add = (row: (typeof counts)[number], categoryId: string | null) => {
        const key = contextKey(row.stage_id, categoryId);
        const entry = complaints.get(key) ?? {
          stageId: row.stage_id,
          stageName: row.stage_name,
          categoryId,
          categoryName: categoryId ? row.category_name : null,
          thisWeek: 0,
          previousWeeks: Array.from({ length: weeks - 1 }, () => 0),
        };
        if (row.week === 0) entry.thisWeek += row.count;
        else if (row.week < 0 && -row.week <= entry.previousWeeks.length)
          entry.previousWeeks[-row.week - 1]! += row.count;
        complaints.set(key, entry);
      };
      for (const row of counts) {
        // The whole stage counts all its complaints, those with no category yet or a retired one too.
        add(row, null);
        if (row.category_id && row.category_name !== null) add(row, row.category_id);
      }

      const raised = await tx.warning.findMany({
        where: { periodStart: new Date(`${weekStart}T00:00:00Z`), kind: 'complaintSpike' },
        select: { key: true },
      });
      const channels = await tx.$queryRaw<
        Array<{ platform: 'slack' | 'teams'; channel_id: string; warnings_today: number }>
      >`
        SELECT s.platform::text AS platform, s.channel_id,
               (SELECT count(*)::int FROM notice n
                 WHERE n.platform = s.platform AND n.target = s.channel_id AND NOT n.to_user
                   AND n.kind IN ('earlyWarning', 'earlyWarningSummary') AND n.created_at > ${new Date(now.getTime() - 86_400_000)}) AS warnings_today
          FROM channel_subscription s
         WHERE s.purpose = 'warnings'
         ORDER BY s.subscribed_at`;
      return {
        moments,
        complaints: [...complaints.values()],
        raisedSpikes: new Set(raised.map((row) => row.key)),
        channels: channels.map((row) => ({
          platform: row.platform,
          channelId: row.channel_id,
          warningsToday: row.warnings_today,
        })),
      };
    },

    async recentReadings(momentIds, perMoment) {
      if (!momentIds.length) return new Map();
      const rows = await tx.$queryRaw<Array<{ moment_id: string; value: number; measured_at: Date }>>`
        SELECT moment_id, value, measured_at FROM (
          SELECT moment_id, value, measured_at,
                 row_number() OVER (PARTITION BY moment_id ORDER BY measured_at DESC, received_at DESC, id DESC) AS rank
            FROM metric_reading WHERE moment_id = ANY(${momentIds}::uuid[])) recent
         WHERE rank <= ${perMoment}
         ORDER BY moment_id, measured_at DESC`;
      const readings = new Map<string, Array<{ value: number; at: Date }>>();
      for (const row of rows)
        readings.set(row.moment_id, [
          ...(readings.get(row.moment_id) ?? []),
          { value: row.value, at: row.measured_at },
        ]);
      return readings;
    },

    async stageContext(wanted, weekStart, timeZone) {
      const contexts = new Map<string, { verbatims: VerbatimCandidate[]; lost: LostCustomer[] }>();
      const thisWeek = (column: string) => betweenLocalMidnights(column, weekStart, addDays(weekStart, 7), timeZone);
      for (const { stageId, categoryId } of wanted) {
        const key = contextKey(stageId, categoryId);
        if (contexts.has(key)) continue;
        const inCategory = categoryId ? Prisma.sql`AND f.category_id = ${categoryId}::uuid` : Prisma.empty;
        const verbatims = await tx.$queryRaw<
          Array<{
            text: string;
            segment: string | null;
            customer_name: string | null;
            source: FeedbackSource;
            severity: Severity | null;
            logged_at: Date;
          }>
        >`
          SELECT left(f.text, 2000) AS text, f.segment, cu.name AS customer_name, f.source::text AS source, f.severity::text AS severity, f.logged_at
            FROM feedback f LEFT JOIN customer cu ON cu.id = f.customer_id
           WHERE f.stage_id = ${stageId}::uuid ${inCategory} AND ${complaint} AND ${thisWeek('f.logged_at')}
           ORDER BY f.severity DESC NULLS LAST, f.logged_at DESC
           LIMIT 20`;
        // A lost customer points here when their call was filed under this stage (and category),
        // or the reason their system gave names the stage (or the category).
        const [names] = await tx.$queryRaw<[{ stage: string; category: string | null }]>`
          SELECT (SELECT name FROM journey_stage WHERE id = ${stageId}::uuid) AS stage,
                 (SELECT name FROM feedback_category WHERE id = ${categoryId}::uuid) AS category`;
        const word = `%${(names.category ?? names.stage).replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
        const callMatches = categoryId
          ? Prisma.sql`cc.stage_id = ${stageId}::uuid AND cc.reason_category_id = ${categoryId}::uuid`
          : Prisma.sql`cc.stage_id = ${stageId}::uuid`;
        const lost = await tx.$queryRaw<
          Array<{ customer_name: string; segment: string; value: number; reason: string | null }>
        >`
          SELECT cu.name AS customer_name, e.segment, e.value::float8 AS value, e.reason
            FROM customer_event e JOIN customer cu ON cu.id = e.customer_id
           WHERE e.kind = 'lost' AND ${thisWeek('e.occurred_at')}
             AND (e.reason ILIKE ${word}
                  OR EXISTS (SELECT 1 FROM campaign_call cc WHERE cc.customer_id = e.customer_id AND ${callMatches}))
           ORDER BY e.value DESC
           LIMIT 500`;
        contexts.set(key, {
          verbatims: verbatims.map((row) => ({
            text: row.text,
            segment: row.segment,
            customerName: row.customer_name,
            source: row.source,
            severity: row.severity,
            loggedAt: row.logged_at,
          })),
          lost: lost.map((row) => ({
            customerName: row.customer_name,
            segment: row.segment,
            value: row.value,
            reason: row.reason,
          })),
        });
      }
      return contexts;
    },

    async record(warnings, notices) {
      const raised: Array<{ id: string; warning: (typeof warnings)[number] }> = [];
      for (const warning of warnings) {
        if (warning.belowSince && warning.momentId) {
          // The moment's standing state moves only from what this check saw: a state another check moved first is left alone.
          const moved = await tx.$executeRaw`
            UPDATE moment SET below_since = ${warning.belowSince.to}
             WHERE id = ${warning.momentId}::uuid AND below_since IS NOT DISTINCT FROM ${warning.belowSince.from}::timestamptz`;
          if (!moved) continue;
        }
        const [row] = await tx.$queryRaw<Array<{ id: string }>>`
          INSERT INTO warning (id, key, kind, moment_id, stage_id, category_id, period_start, raised_at, content)
          VALUES (gen_random_uuid(), ${warning.key}, ${warning.kind}::"WarningKind", ${warning.momentId}::uuid, ${warning.stageId}::uuid, ${warning.categoryId}::uuid,
                  ${warning.weekStart}::date, now(), ${JSON.stringify(warning.story)}::jsonb)
          ON CONFLICT (key) DO NOTHING
          RETURNING id`;
        if (row) raised.push({ id: row.id, warning });
      }
      await queueNotices(tx, notices(raised));
      return raised;
    },
  };
}

export function warningCheckStore(db: Db): WarningCheckStore {
  return {
    snapshot: (weekStart, timeZone, now) => checkTx(db).snapshot(weekStart, timeZone, now),
    inCheck(work) {
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('early-warning-check'))`;
          return work(checkTx(tx));
        },
        { maxWait: 30_000, timeout: 60_000 },
      );
    },
  };
}

export function earlyWarningStore(db: Db): EarlyWarningStore {
  return {
    async earlyWarningRecords(period, timeZone) {
      const [{ period_start: start, period_end: periodEnd }] = await db.$queryRaw<
        [{ period_start: Date; period_end: Date }]
      >`
        SELECT (${period.start}::date::timestamp AT TIME ZONE ${timeZone}) AS period_start, (${period.end}::date::timestamp AT TIME ZONE ${timeZone}) AS period_end`;
      // A below-standard warning stands until its recovery (same moment and start, "recovered:" for "below:") is raised.
      // Spikes are kept by the Monday of the week they fired in, so a period holds the spikes of the weeks starting in it.
      const rows = await db.$queryRaw<
        Array<{ kind: WarningRecord['kind']; content: WarningRecord['story']; raised_at: Date }>
      >`
        SELECT w.kind::text AS kind, w.content, w.raised_at
          FROM warning w
         WHERE (w.kind = 'belowStandard' AND w.raised_at < ${periodEnd}
                AND NOT EXISTS (SELECT 1 FROM warning r WHERE r.key = 'recovered:' || substr(w.key, 7) AND r.raised_at < ${periodEnd})
                AND EXISTS (SELECT 1 FROM moment m WHERE m.id = w.moment_id AND m.retired_at IS NULL))
            OR (w.kind = 'complaintSpike' AND w.period_start >= ${period.start}::date AND w.period_start < ${period.end}::date)
            OR (w.kind = 'recovered' AND w.raised_at >= ${start} AND w.raised_at < ${periodEnd})
         ORDER BY w.raised_at, w.key`;
      return {
        periodEnd,
        warnings: rows.map((row) => ({ kind: row.kind, story: row.content, raisedAt: row.raised_at })),
      };
    },
  };
}

export function warningRecordStore(db: Db): WarningRecordStore {
  const known = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  return {
    async acknowledge(warningId, by, name, at) {
      if (!known(warningId)) return null;
      // Only the first acknowledgement is recorded: two leaders pressing at once record one.
      const recorded = await db.warning.updateMany({
        where: { id: warningId, acknowledgedAt: null },
        data: { acknowledgedBy: `${by.platform}:${by.userId}`, acknowledgedByName: name, acknowledgedAt: at },
      });
      const row = await db.warning.findUnique({
        where: { id: warningId },
        select: { acknowledgedBy: true, acknowledgedByName: true, acknowledgedAt: true, content: true },
      });
      if (!row) return null;
      const [platform, ...rest] = (row.acknowledgedBy ?? `${by.platform}:${by.userId}`).split(':');
      return {
        recorded: recorded.count === 1,
        by: { platform: platform === 'teams' ? 'teams' : 'slack', userId: rest.join(':') },
        name: row.acknowledgedByName,
        at: row.acknowledgedAt ?? at,
        story: row.content as unknown as WarningStory,
      };
    },

    async warningPlace(warningId) {
      if (!known(warningId)) return null;
      const [row] = await db.$queryRaw<Array<{ stage: string; category: string | null }>>`
        SELECT s.name AS stage, c.name AS category
          FROM warning w JOIN journey_stage s ON s.id = w.stage_id LEFT JOIN feedback_category c ON c.id = w.category_id
         WHERE w.id = ${warningId}::uuid`;
      return row ? { stageName: row.stage, categoryName: row.category } : null;
    },
  };
}
