import type { FeedbackStore, StoredFeedback } from '../domain/feedback.js';
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
  issueId: true,
  loggedAt: true,
} as const;

export function feedbackStore(db: Db): FeedbackStore {
  return {
    async insertFeedback(record, options = {}) {
      const customer = record.customerId ? await db.customer.findUnique({ where: { id: record.customerId }, select: { segment: true } }) : null;
      const chosenByPerson = Boolean(record.stageId && record.categoryId);
      const data = { ...record, segment: customer?.segment ?? null, ...(chosenByPerson ? { classifiedBy: 'person' as const } : {}) };
      const key = record.platformMessageId;
      if (!key && !options.repeatedSince) return { kind: 'stored' as const, feedback: await db.feedback.create({ data, select: columns }) };
      return db.$transaction(
        async (tx) => {
          // One person's logging waits for their own previous one, so "already logged?" and the insert are a single step.
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`feedback-from:${record.platform}:${record.reporterId}`}))`;
          if (key) {
            const earlier = await tx.feedback.findUnique({ where: { platform_platformMessageId: { platform: record.platform, platformMessageId: key } }, select: columns });
            if (earlier) return { kind: 'redelivered' as const, feedback: earlier };
          }
          if (options.repeatedSince) {
            const repeated = await tx.feedback.findFirst({
              where: { platform: record.platform, reporterId: record.reporterId, text: record.text, loggedAt: { gte: options.repeatedSince } },
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
      return db.feedback.findMany({ where: { classifiedBy: null, loggedAt: { lt: before } }, orderBy: { loggedAt: 'asc' }, take: limit, select: columns });
    },

    async customerExists(id) {
      return (await db.customer.count({ where: { id } })) > 0;
    },

    async searchCustomers(query, limit) {
      return db.customer.findMany({ where: { name: { contains: query, mode: 'insensitive' } }, orderBy: { name: 'asc' }, take: limit, select: { id: true, name: true, segment: true } });
    },
  };
}
