import type { Notice, NoticeContent, NoticeStore } from '../domain/notices.js';
import type { Db } from './database.js';

export function noticeStore(db: Db): NoticeStore {
  return {
    async claimDue(worker, now, leaseMs, limit) {
      // SKIP LOCKED lets several workers share the outbox without waiting on or taking each other's rows.
      const rows = await db.$queryRaw<Array<{ id: string; key: string; platform: 'slack' | 'teams'; target: string; to_user: boolean; payload: NoticeContent; attempts: number; created_at: Date }>>`
        UPDATE notice SET status = 'sending', claimed_by = ${worker}, attempts = attempts + 1,
                          not_before = ${new Date(now.getTime() + leaseMs)}
         WHERE id IN (SELECT id FROM notice
                       WHERE status IN ('pending', 'sending') AND not_before <= ${now}
                       ORDER BY created_at
                       LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)
        RETURNING id, key, platform::text AS platform, target, to_user, payload, attempts, created_at`;
      return rows
        .sort((a, b) => a.created_at.getTime() - b.created_at.getTime())
        .map(
          (row): Notice => ({
            id: row.id,
            key: row.key,
            platform: row.platform,
            target: row.target,
            toUser: row.to_user,
            content: row.payload,
            attempts: row.attempts,
            createdAt: row.created_at,
          }),
        );
    },

    async markSent(id, worker, messageId, now) {
      await db.notice.updateMany({ where: { id, claimedBy: worker, status: 'sending' }, data: { status: 'sent', messageId, sentAt: now, lastError: null } });
    },

    async markUndeliverable(id, worker, reason) {
      await db.notice.updateMany({ where: { id, claimedBy: worker, status: 'sending' }, data: { status: 'undeliverable', lastError: reason.slice(0, 500) } });
    },

    async retryLater(id, worker, notBefore, error) {
      // Stays 'sending': the message may have landed, so the next attempt looks before it sends.
      await db.notice.updateMany({ where: { id, claimedBy: worker, status: 'sending' }, data: { notBefore, lastError: error.slice(0, 500) } });
    },
  };
}
