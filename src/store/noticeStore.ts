import type { GiveUpReason, Notice, NoticeContent, NoticeStore, UndeliveredNotice } from '../domain/notices.js';
import type { Platform } from '../domain/people.js';
import { Prisma } from './generated/client.js';
import type { Db } from './database.js';

export function noticeStore(db: Db): NoticeStore {
  return {
    async claimDue(worker, now, leaseMs, limit, platforms) {
      if (!platforms.length || limit < 1) return [];
      // SKIP LOCKED lets several workers share the outbox without waiting on or taking each other's rows.
      // Only a conversation's oldest unsent notice qualifies: the next one waits until it is sent or given up,
      // whether it is backing off or being sent by another worker right now.
      const rows = await db.$queryRaw<
        Array<{
          id: string;
          key: string;
          platform: Platform;
          target: string;
          to_user: boolean;
          payload: NoticeContent;
          attempts: number;
          created_at: Date;
          seq: bigint;
        }>
      >`
        UPDATE notice SET status = 'sending', claimed_by = ${worker}, attempts = attempts + 1,
                          not_before = ${new Date(now.getTime() + leaseMs)}
         WHERE id IN (SELECT id FROM notice n
                       WHERE status IN ('pending', 'sending') AND not_before <= ${now}
                         AND platform::text IN (${Prisma.join(platforms)})
                         AND NOT EXISTS (SELECT 1 FROM notice earlier
                                          WHERE earlier.platform = n.platform AND earlier.target = n.target AND earlier.to_user = n.to_user
                                            AND earlier.status IN ('pending', 'sending') AND earlier.seq < n.seq)
                       ORDER BY seq
                       LIMIT ${limit}
                       FOR UPDATE SKIP LOCKED)
        RETURNING id, key, platform::text AS platform, target, to_user, payload, attempts, created_at, seq`;
      return rows
        .sort((a, b) => (a.seq < b.seq ? -1 : 1))
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

    async renewClaim(id, worker, until) {
      const renewed = await db.notice.updateMany({
        where: { id, claimedBy: worker, status: 'sending' },
        data: { notBefore: until },
      });
      return renewed.count === 1;
    },

    async markSent(id, worker, messageId, now) {
      await db.notice.updateMany({
        where: { id, claimedBy: worker, status: 'sending' },
        data: { status: 'sent', messageId, sentAt: now, lastError: null },
      });
    },

    async giveUp(id, worker, because, error, now) {
      await db.notice.updateMany({
        where: { id, claimedBy: worker, status: 'sending' },
        data: { status: 'undeliverable', givenUpBecause: because, givenUpAt: now, lastError: error.slice(0, 500) },
      });
    },

    async retryLater(id, worker, notBefore, error) {
      // Stays 'sending': the message may have landed, so the next attempt looks before it sends.
      await db.notice.updateMany({
        where: { id, claimedBy: worker, status: 'sending' },
        data: { notBefore, lastError: error.slice(0, 500) },
      });
    },

    async giveUpPlatform(platform, error, now) {
      const given = await db.notice.updateMany({
        where: { platform, status: { in: ['pending', 'sending'] } },
        data: {
          status: 'undeliverable',
          givenUpBecause: 'platformRemoved',
          givenUpAt: now,
          lastError: error.slice(0, 500),
        },
      });
      return given.count;
    },

    async undelivered(limit) {
      const where = { status: 'undeliverable' as const };
      const [rows, total] = await Promise.all([
        db.notice.findMany({
          where,
          orderBy: [{ givenUpAt: { sort: 'desc', nulls: 'last' } }, { seq: 'desc' }],
          take: limit,
        }),
        db.notice.count({ where }),
      ]);
      return {
        total,
        notices: rows.map(
          (row): UndeliveredNotice => ({
            id: row.id,
            platform: row.platform,
            target: row.target,
            toUser: row.toUser,
            content: row.payload as unknown as NoticeContent,
            attempts: row.attempts,
            because: (row.givenUpBecause ?? 'refused') as GiveUpReason,
            lastError: row.lastError ?? '',
            createdAt: row.createdAt,
            givenUpAt: row.givenUpAt ?? row.createdAt,
          }),
        ),
      };
    },
  };
}
