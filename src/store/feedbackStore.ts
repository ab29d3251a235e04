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
    async insertFeedback(record): Promise<StoredFeedback> {
      const customer = record.customerId ? await db.customer.findUnique({ where: { id: record.customerId }, select: { segment: true } }) : null;
      const chosenByPerson = Boolean(record.stageId && record.categoryId);
      return db.feedback.create({
        data: { ...record, segment: customer?.segment ?? null, ...(chosenByPerson ? { classifiedBy: 'person' as const } : {}) },
        select: columns,
      });
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
