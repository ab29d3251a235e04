// The period's feedback, aggregated in SQL by issue and period in the organisation's time zone.
import type { FeedbackSource } from '../domain/feedback.js';
import type { IssueVolume, ListeningStore } from '../domain/listening.js';
import type { Db } from './database.js';
import { betweenLocalMidnights, localMidnights, periodSpans } from './localDays.js';

export function listeningStore(db: Db): ListeningStore {
  return {
    async issueVolumes(periods, timeZone) {
      const rows = await db.$queryRaw<Array<Omit<IssueVolume, 'sources'> & { sources: string[] }>>`
        WITH span AS (${periodSpans(periods, timeZone)})
        SELECT i.id AS "issueId", i.number, i.title, i.status::text AS status,
               s.name AS "stageName", s.position AS "stagePosition", c.name AS "categoryName",
               span.period_index AS "periodIndex",
               count(*)::int AS reports,
               array_agg(DISTINCT f.source::text) AS sources
          -- LATERAL: one index range scan per period, never a pass over all feedback.
          FROM span
          CROSS JOIN LATERAL (
                SELECT issue_id, source FROM feedback
                 WHERE logged_at >= span.from_at AND logged_at < span.until_at AND issue_id IS NOT NULL) f
          JOIN issue i ON i.id = f.issue_id
          JOIN journey_stage s ON s.id = i.stage_id
          JOIN feedback_category c ON c.id = i.category_id
         GROUP BY i.id, s.id, c.id, span.period_index`;
      return rows.map((row) => ({ ...row, sources: row.sources as FeedbackSource[] }));
    },

    async unsortedFeedback(period, timeZone) {
      const [row] = await db.$queryRaw<[{ count: number }]>`
        SELECT count(*)::int AS count FROM feedback
         WHERE issue_id IS NULL
           AND ${betweenLocalMidnights('logged_at', period.start, period.end, timeZone)}`;
      return row.count;
    },

    async verbatimCandidates(period, timeZone, issueIds) {
      if (!issueIds.length) return [];
      // A bounded sample per issue: the digest needs a handful of voices, not every report.
      return db.$queryRaw`
        SELECT issue_id AS "issueId", left(text, 2000) AS text, segment, "customerName", source::text AS source,
               severity::text AS severity, sentiment::text AS sentiment, logged_at AS "loggedAt"
          FROM (SELECT f.*, cu.name AS "customerName",
                       row_number() OVER (PARTITION BY f.issue_id ORDER BY f.severity DESC NULLS LAST, f.logged_at DESC) AS rank
                  FROM feedback f LEFT JOIN customer cu ON cu.id = f.customer_id
                 WHERE f.issue_id = ANY(${issueIds}::uuid[])
                   AND ${betweenLocalMidnights('f.logged_at', period.start, period.end, timeZone)}) sample
         WHERE rank <= 20`;
    },

    async hopeReport(period, timeZone) {
      const range = await localMidnights(db, period.start, period.end, timeZone);
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
