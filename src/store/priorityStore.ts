// Priorities in PostgreSQL. Complaints are counted per priority and week in one grouped
// query: feedback under its issues (and the issues they were merged into), at its stages, or
// at the stages of its moments, that was not praise, from its baseline weeks on.
import type { Platform } from '../domain/people.js';
import type { PriorityRecord, PriorityReporter, PriorityStore, WeeklyComplaints } from '../domain/priorities.js';
import type { Db } from './database.js';
import { Prisma } from './generated/client.js';
import { queueNotices } from './issueStore.js';

type Row = Awaited<ReturnType<Db['priority']['findFirstOrThrow']>>;

/** The same meaning of a complaint as the early warning check: anything said that was not praise. */
const complaint = Prisma.sql`f.sentiment IS DISTINCT FROM 'positive'`;

const dateOf = (date: Date) => date.toISOString().slice(0, 10);

async function records(db: Db | Prisma.TransactionClient, rows: Row[]): Promise<PriorityRecord[]> {
  if (!rows.length) return [];
  const [issues, stages, moments] = await Promise.all([
    db.issue.findMany({
      where: { id: { in: rows.flatMap((row) => row.issueIds) } },
      select: { id: true, number: true, title: true },
    }),
    db.journeyStage.findMany({
      where: { id: { in: rows.flatMap((row) => row.stageIds) } },
      select: { id: true, name: true },
    }),
    db.moment.findMany({
      where: { id: { in: rows.flatMap((row) => row.momentIds) } },
      select: { id: true, name: true, stage: { select: { name: true } } },
    }),
  ]);
  const pick = <T extends { id: string }>(all: T[], ids: string[]) =>
    ids.flatMap((id) => all.filter((each) => each.id === id));
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    title: row.title,
    owner: { platform: row.ownerPlatform, userId: row.ownerId, name: row.ownerName },
    stopDoing: row.stopDoing,
    issues: pick(issues, row.issueIds),
    stages: pick(stages, row.stageIds),
    moments: pick(moments, row.momentIds).map((moment) => ({
      id: moment.id,
      name: moment.name,
      stageName: moment.stage.name,
    })),
    quietWeeks: row.quietWeeks,
    startedOn: dateOf(row.startedOn),
    doneAt: row.doneAt,
  }));
}

/** The scope of each priority as arrays of issue and stage ids, for the counting queries. */
const scopes = (ids: string[]) => Prisma.sql`
  SELECT p.id, date_trunc('week', p.started_on)::date AS start_week,
         p.issue_ids || COALESCE((SELECT array_agg(i.merged_into_id) FROM issue i
                                   WHERE i.id = ANY(p.issue_ids) AND i.merged_into_id IS NOT NULL), '{}') AS issue_ids,
         p.stage_ids || COALESCE((SELECT array_agg(m.stage_id) FROM moment m WHERE m.id = ANY(p.moment_ids)), '{}') AS stage_ids
    FROM priority p
   WHERE p.id = ANY(${ids}::uuid[])`;

const inScope = Prisma.sql`(f.issue_id = ANY(s.issue_ids) OR f.stage_id = ANY(s.stage_ids))`;

export function priorityStore(db: Db): PriorityStore {
  return {
    async priorities(doneSince) {
      const rows = await db.priority.findMany({
        where: { OR: [{ doneAt: null }, { doneAt: { gte: doneSince } }] },
        orderBy: { number: 'asc' },
      });
      return records(db, rows);
    },

    async priorityByNumber(number) {
      const row = await db.priority.findUnique({ where: { number } });
      return row ? ((await records(db, [row]))[0] ?? null) : null;
    },

    async weeklyComplaints(priorityIds, untilWeek, timeZone) {
      const counts = new Map<string, WeeklyComplaints>();
      if (!priorityIds.length) return counts;
      const rows = await db.$queryRaw<Array<{ id: string; week: number; complaints: number }>>`
        WITH s AS (${scopes(priorityIds)})
        SELECT s.id, ((date_trunc('week', f.logged_at AT TIME ZONE ${timeZone})::date - s.start_week) / 7)::int AS week,
               count(*)::int AS complaints
          FROM s JOIN feedback f ON ${inScope}
         WHERE ${complaint}
           AND f.logged_at >= ((s.start_week - 56)::timestamp AT TIME ZONE ${timeZone})
           AND f.logged_at < (${untilWeek}::date::timestamp AT TIME ZONE ${timeZone})
         GROUP BY 1, 2`;
      for (const row of rows)
        counts.set(row.id, [...(counts.get(row.id) ?? []), { week: row.week, complaints: row.complaints }]);
      return counts;
    },

    async add(draft, most) {
      return db.$transaction(async (tx) => {
        // One add at a time: two leaders adding the tenth at once make ten, not eleven.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('priority-add'))`;
        const open = await tx.priority.findMany({ where: { doneAt: null }, orderBy: { number: 'asc' } });
        if (open.length >= most) return { full: await records(tx, open) };
        const [issues, stages, moments] = await Promise.all([
          tx.issue.findMany({ where: { id: { in: draft.issueIds } }, select: { id: true } }),
          tx.journeyStage.findMany({ where: { id: { in: draft.stageIds } }, select: { id: true } }),
          tx.moment.findMany({ where: { id: { in: draft.momentIds } }, select: { id: true } }),
        ]);
        const known = (ids: string[], found: Array<{ id: string }>) =>
          ids.filter((id, index) => ids.indexOf(id) === index && found.some((each) => each.id === id));
        const scope = {
          issueIds: known(draft.issueIds, issues),
          stageIds: known(draft.stageIds, stages),
          momentIds: known(draft.momentIds, moments),
        };
        // Every id named something gone (an issue merged away, a moment retired): nothing to measure it by.
        if (!scope.issueIds.length && !scope.stageIds.length && !scope.momentIds.length) return 'nothingKnown' as const;
        const row = await tx.priority.create({
          data: {
            title: draft.title,
            ownerPlatform: draft.owner.platform,
            ownerId: draft.owner.userId,
            ownerName: draft.owner.name,
            stopDoing: draft.stopDoing,
            ...scope,
            quietWeeks: draft.quietWeeks,
            startedOn: new Date(`${draft.startedOn}T00:00:00Z`),
            createdPlatform: draft.createdBy.platform,
            createdBy: draft.createdBy.userId,
          },
        });
        return { added: (await records(tx, [row]))[0]! };
      });
    },

    async setQuietWeeks(priorityId, weeks) {
      await db.priority.update({ where: { id: priorityId }, data: { quietWeeks: weeks } });
    },

    async markDone(priorityId, by, at, timeZone, notices) {
      return db.$transaction(async (tx) => {
        const claimed = await tx.priority.updateMany({
          where: { id: priorityId, doneAt: null },
          data: { doneAt: at, doneBy: `${by.platform}:${by.userId}` },
        });
        if (!claimed.count) return 'alreadyDone' as const;
        // Everyone who passed on a complaint it answered, from its baseline weeks until now; feedback
        // another system sent has no person behind it to thank.
        const rows = await tx.$queryRaw<Array<{ platform: Platform; reporter_id: string; numbers: number[] }>>`
          WITH s AS (${scopes([priorityId])})
          SELECT f.platform::text AS platform, f.reporter_id, array_agg(f.number ORDER BY f.number) AS numbers
            FROM s JOIN feedback f ON ${inScope}
           WHERE ${complaint} AND f.platform IS NOT NULL
             AND f.logged_at >= ((s.start_week - 56)::timestamp AT TIME ZONE ${timeZone})
           GROUP BY 1, 2
           ORDER BY min(f.number)`;
        const reporters: PriorityReporter[] = rows.map((row) => ({
          platform: row.platform,
          userId: row.reporter_id,
          feedbackNumbers: row.numbers,
        }));
        const channels = await tx.channelSubscription.findMany({
          where: { purpose: 'hope' },
          orderBy: { subscribedAt: 'asc' },
          select: { platform: true, channelId: true },
        });
        await queueNotices(tx, notices(reporters, channels));
        return { reporters: reporters.length, channels: channels.length };
      });
    },

    async choices() {
      const [issues, stages, moments] = await Promise.all([
        db.issue.findMany({
          where: { status: 'open', feedback: { some: {} } },
          orderBy: [{ feedback: { _count: 'desc' } }, { number: 'asc' }],
          take: 100,
          select: { id: true, number: true, title: true, stage: { select: { name: true } } },
        }),
        db.journeyStage.findMany({
          where: { retiredAt: null },
          orderBy: { position: 'asc' },
          select: { id: true, name: true },
        }),
        db.moment.findMany({
          where: { retiredAt: null },
          orderBy: { position: 'asc' },
          select: { id: true, name: true, stage: { select: { name: true } } },
        }),
      ]);
      return {
        issues: issues.map((issue) => ({
          id: issue.id,
          number: issue.number,
          title: issue.title,
          stageName: issue.stage.name,
        })),
        stages,
        moments: moments.map((moment) => ({ id: moment.id, name: moment.name, stageName: moment.stage.name })),
      };
    },

    async warningScope(warningId) {
      if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(warningId)) return null;
      const [row] = await db.$queryRaw<
        Array<{
          stage_id: string;
          moment_id: string | null;
          stage: string;
          category: string | null;
          moment: string | null;
        }>
      >`
        SELECT w.stage_id, w.moment_id, s.name AS stage, c.name AS category, m.name AS moment
          FROM warning w JOIN journey_stage s ON s.id = w.stage_id
          LEFT JOIN feedback_category c ON c.id = w.category_id
          LEFT JOIN moment m ON m.id = w.moment_id
         WHERE w.id = ${warningId}::uuid`;
      if (!row) return null;
      const title = row.moment
        ? `${row.moment} back to standard`
        : `Fewer complaints ${row.category ? `about ${row.category} ` : ''}at ${row.stage}`;
      return { stageId: row.stage_id, momentId: row.moment_id, title: title.slice(0, 150) };
    },
  };
}
