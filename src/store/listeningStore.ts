// The week's feedback, aggregated in SQL by issue and week in the organisation's time zone.
import type { FeedbackSource } from '../domain/feedback.js';
import type { IssueWeekVolume, ListeningStore } from '../domain/listening.js';
import { addDays } from '../domain/weeks.js';
import type { Db } from './database.js';
import { betweenLocalMidnights, localMidnights } from './localDays.js';

export function listeningStore(db: Db): ListeningStore {
  return {
    async issueWeekVolumes(weekStart, timeZone) {
      const rows = await db.$queryRaw<Array<Omit<IssueWeekVolume, 'sources'> & { sources: string[] }>>`
        SELECT i.id AS "issueId", i.number, i.title, i.status::text AS status,
               s.name AS "stageName", s.position AS "stagePosition", c.name AS "categoryName",
               ((date_trunc('week', f.logged_at AT TIME ZONE ${timeZone})::date - ${weekStart}::date) / 7)::int AS "weekOffset",
               count(*)::int AS reports,
               array_agg(DISTINCT f.source::text) AS sources
          FROM feedback f
          JOIN issue i ON i.id = f.issue_id
          JOIN journey_stage s ON s.id = i.stage_id
          JOIN feedback_category c ON c.id = i.category_id
         WHERE ${betweenLocalMidnights('f.logged_at', addDays(weekStart, -28), addDays(weekStart, 7), timeZone)}
         GROUP BY i.id, s.id, c.id, 8`;
      return rows.map((row) => ({ ...row, sources: row.sources as FeedbackSource[] }));
    },

    async unsortedFeedback(weekStart, timeZone) {
      const [row] = await db.$queryRaw<[{ count: number }]>`
        SELECT count(*)::int AS count FROM feedback
         WHERE issue_id IS NULL
           AND ${betweenLocalMidnights('logged_at', weekStart, addDays(weekStart, 7), timeZone)}`;
      return row.count;
    },

    async verbatimCandidates(weekStart, timeZone, issueIds) {
      if (!issueIds.length) return [];
      // A bounded sample per issue: the digest needs a handful of voices, not every report.
      return db.$queryRaw`
        SELECT issue_id AS "issueId", left(text, 2000) AS text, segment, "customerName", source::text AS source,
               severity::text AS severity, sentiment::text AS sentiment, logged_at AS "loggedAt"
          FROM (SELECT f.*, cu.name AS "customerName",
                       row_number() OVER (PARTITION BY f.issue_id ORDER BY f.severity DESC NULLS LAST, f.logged_at DESC) AS rank
                  FROM feedback f LEFT JOIN customer cu ON cu.id = f.customer_id
                 WHERE f.issue_id = ANY(${issueIds}::uuid[])
                   AND ${betweenLocalMidnights('f.logged_at', weekStart, addDays(weekStart, 7), timeZone)}) sample
         WHERE rank <= 20`;
    },

    async hopeWeek(weekStart, timeZone) {
      const range = await localMidnights(db, weekStart, addDays(weekStart, 7), timeZone);
      const [fixes, reportersTold, reopened] = await Promise.all([
        db.issueResolution.findMany({
          where: { resolvedAt: range },
          orderBy: { resolvedAt: 'asc' },
          select: { whatChanged: true, issue: { select: { number: true, title: true } } },
        }),
        db.notice.count({ where: { kind: 'hopeThanks', status: 'sent', sentAt: range } }),
        db.issueResolution.count({ where: { reopenedAt: range } }),
      ]);
      return {
        fixes: fixes.map((fix) => ({ number: fix.issue.number, title: fix.issue.title, whatChanged: fix.whatChanged })),
        reportersTold,
        reopened,
      };
    },
  };
}
