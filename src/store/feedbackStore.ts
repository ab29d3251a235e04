import type { ExternalFeedbackStore } from '../domain/externalFeedback.js';
import type { FeedbackStore } from '../domain/feedback.js';
import type { Db } from './database.js';

const columns = {
  id: true,
  number: true,
  platform: true,
  reporterId: true,
  text: true,
  source: true,
  severity: true,
  segment: true,
  stageId: true,
  categoryId: true,
  sentiment: true,
  summary: true,
  classifiedBy: true,
  stageGiven: true,
  categoryGiven: true,
  issueId: true,
  loggedAt: true,
} as const;

export function feedbackStore(db: Db): FeedbackStore {
  return {
    async insertFeedback(record, options = {}) {
      const customer = record.customerId
        ? await db.customer.findUnique({ where: { id: record.customerId }, select: { segment: true } })
        : null;
      const chosenByPerson = Boolean(record.stageId && record.categoryId);
      const data = {
        ...record,
        segment: customer?.segment ?? null,
        stageGiven: Boolean(record.stageId),
        categoryGiven: Boolean(record.categoryId),
        ...(chosenByPerson ? { classifiedBy: 'person' as const } : {}),
      };
      const key = record.platformMessageId;
      if (!key && !options.repeatedSince)
        return { kind: 'stored' as const, feedback: await db.feedback.create({ data, select: columns }) };
      return db.$transaction(
        async (tx) => {
          // One person's logging waits for their own previous one, so "already logged?" and the insert are a single step.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`feedback-from:${record.platform}:${record.reporterId}`}))`;
          if (key) {
            const earlier = await tx.feedback.findUnique({
              where: { platform_platformMessageId: { platform: record.platform, platformMessageId: key } },
              select: columns,
            });
            if (earlier) return { kind: 'redelivered' as const, feedback: earlier };
          }
          if (options.repeatedSince) {
            const repeated = await tx.feedback.findFirst({
              where: {
                platform: record.platform,
                reporterId: record.reporterId,
                text: record.text,
                loggedAt: { gte: options.repeatedSince },
              },
              orderBy: { loggedAt: 'desc' },
              select: columns,
            });
            if (repeated) return { kind: 'repeated' as const, feedback: repeated };
          }
          return { kind: 'stored' as const, feedback: await tx.feedback.create({ data, select: columns }) };
        },
        { maxWait: 30_000, timeout: 30_000 },
      );
    },

    async feedbackById(id) {
      return db.feedback.findUnique({ where: { id }, select: columns });
    },

    async updateSorting(id, sorting) {
      return db.feedback.update({ where: { id }, data: sorting, select: columns });
    },

    async awaitingReclassification(limit) {
      return db.feedback.findMany({
        where: { needsReclassification: true, NOT: { classifiedBy: 'person' } },
        orderBy: { loggedAt: 'asc' },
        take: limit,
        select: columns,
      });
    },

    async neverSorted(before, limit) {
      // Feedback from other systems is sorted by its own backlog run, which this would race (its said-at times are often old).
      return db.feedback.findMany({
        where: { classifiedBy: null, loggedAt: { lt: before }, externalId: null },
        orderBy: { loggedAt: 'asc' },
        take: limit,
        select: columns,
      });
    },

    async customerExists(id) {
      return (await db.customer.count({ where: { id } })) > 0;
    },

    async searchCustomers(query, limit) {
      return db.customer.findMany({
        where: { name: { contains: query, mode: 'insensitive' } },
        orderBy: { name: 'asc' },
        take: limit,
        select: { id: true, name: true, segment: true },
      });
    },
  };
}

/** Feedback other systems send: set-based inserts that work alike on PostgreSQL and PGlite. */
export function externalFeedbackStore(db: Db): ExternalFeedbackStore {
  return {
    async customersByExternalId(ids) {
      if (!ids.length) return new Map();
      const rows = await db.customer.findMany({
        where: { externalId: { in: ids } },
        select: { id: true, externalId: true, segment: true },
      });
      return new Map(rows.map((row) => [row.externalId, { id: row.id, segment: row.segment }]));
    },

    async surveyStages() {
      // A survey whose stage was retired is filed by the classifier until it is mapped again.
      const rows = await db.survey.findMany({
        where: { stage: { retiredAt: null } },
        select: { name: true, stageId: true },
      });
      return new Map(rows.map((row) => [row.name.toLowerCase(), row.stageId]));
    },

    async insertExternalFeedback(records) {
      if (!records.length) return [];
      const column = <T>(pick: (record: (typeof records)[number]) => T) => records.map(pick);
      // One multi-row insert: the unique external id makes a re-sent row a no-op, and RETURNING says which were new.
      // classified_by stays null until sorting: a stage or category the sender gave (or the survey's stage) is kept then and later, as a person's choice is.
      const rows = await db.$queryRaw<Array<{ external_id: string }>>`
        INSERT INTO feedback (id, platform, reporter_id, external_id, text, source, customer_id, segment, stage_id, category_id, stage_given, category_given, logged_at)
        SELECT gen_random_uuid(), NULL, r.reporter_id, r.external_id, r.text, r.source::"FeedbackSource", r.customer_id, r.segment, r.stage_id, r.category_id,
               r.stage_id IS NOT NULL, r.category_id IS NOT NULL, r.logged_at
          FROM unnest(${column((r) => r.externalId)}::text[], ${column((r) => r.reporterId)}::text[], ${column((r) => r.text)}::text[], ${column((r) => r.source)}::text[],
                      ${column((r) => r.customerId)}::uuid[], ${column((r) => r.segment)}::text[], ${column((r) => r.stageId)}::uuid[], ${column((r) => r.categoryId)}::uuid[],
                      ${column((r) => r.loggedAt.toISOString())}::timestamptz[])
               AS r(external_id, reporter_id, text, source, customer_id, segment, stage_id, category_id, logged_at)
        ON CONFLICT (external_id) DO NOTHING
        RETURNING external_id`;
      return rows.map((row) => row.external_id);
    },

    async claimUnsortedExternal(limit, leaseMs) {
      // Claimed in one statement, skipping rows another process is claiming, so two bot processes
      // (or the bot and a CSV import) never sort the same item at once; a crashed claim expires.
      const rows = await db.$queryRaw<Array<{ id: string; number: number }>>`
        UPDATE feedback SET sorting_claimed_until = now() + ${leaseMs / 1000}::double precision * interval '1 second'
         WHERE id IN (SELECT id FROM feedback
                       WHERE classified_by IS NULL AND external_id IS NOT NULL
                         AND (sorting_claimed_until IS NULL OR sorting_claimed_until < now())
                       ORDER BY number LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)
        RETURNING id, number`;
      return rows.sort((a, b) => a.number - b.number).map((row) => row.id);
    },
  };
}
