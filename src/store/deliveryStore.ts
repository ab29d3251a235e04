import type { Channel, Claim, DeliveryStore } from '../domain/delivery.js';
import type { Period } from '../domain/periods.js';
import type { Db } from './database.js';

/** The columns that name a period in digest_delivery: its first date and its kind (1 June 2026 starts a week and a month). */
const periodOf = (period: Period) => ({ periodStart: new Date(`${period.start}T00:00:00Z`), periodKind: period.kind });

export function deliveryStore(db: Db): DeliveryStore {
  const key = (period: Period, channel: Channel) => ({
    periodStart_periodKind_platform_channelId: {
      ...periodOf(period),
      platform: channel.platform,
      channelId: channel.channelId,
    },
  });

  return {
    async subscriptions(purpose = 'digest') {
      return db.channelSubscription.findMany({ where: { purpose }, orderBy: { subscribedAt: 'asc' } });
    },

    async subscribe(channel, by, purpose = 'digest') {
      const created = await db.channelSubscription.createMany({
        data: [{ ...channel, purpose, subscribedBy: by }],
        skipDuplicates: true,
      });
      return created.count ? 'subscribed' : 'alreadySubscribed';
    },

    async unsubscribe(channel, purpose = 'digest') {
      const deleted = await db.channelSubscription.deleteMany({ where: { ...channel, purpose } });
      return deleted.count ? 'unsubscribed' : 'notSubscribed';
    },

    async endSubscriptions(where) {
      const ended = await db.channelSubscription.deleteMany({
        where:
          'channelId' in where
            ? { platform: where.platform, channelId: where.channelId }
            : { platform: where.platform },
      });
      return ended.count;
    },

    async claimDelivery(period, channel, worker, now, leaseMs): Promise<Claim> {
      // The primary key makes the insert the claim: of two processes, exactly one gets a row back.
      const inserted = await db.digestDelivery.createMany({
        data: [
          {
            ...periodOf(period),
            ...channel,
            status: 'claimed',
            claimedBy: worker,
            claimedAt: now,
            leaseUntil: new Date(now.getTime() + leaseMs),
          },
        ],
        skipDuplicates: true,
      });
      if (inserted.count) return 'claimed';
      const takenOver = await db.digestDelivery.updateMany({
        where: { ...periodOf(period), ...channel, status: 'claimed', leaseUntil: { lt: now } },
        data: { claimedBy: worker, leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      if (takenOver.count) return 'takenOver';
      const existing = await db.digestDelivery.findUnique({ where: key(period, channel) });
      return existing?.status === 'posted' ? 'alreadyPosted' : 'heldByAnother';
    },

    async recordPosted(period, channel, worker, messageId, now) {
      await db.digestDelivery.updateMany({
        where: { ...periodOf(period), ...channel, claimedBy: worker },
        data: { status: 'posted', messageId, postedAt: now },
      });
    },

    async expireClaim(period, channel, worker) {
      await db.digestDelivery.updateMany({
        where: { ...periodOf(period), ...channel, claimedBy: worker, status: 'claimed' },
        data: { leaseUntil: new Date(0) },
      });
    },

    async runStartedAt(period) {
      const first = await db.digestDelivery.aggregate({
        where: periodOf(period),
        _min: { claimedAt: true },
      });
      return first._min.claimedAt;
    },
  };
}
