import type { Channel, Claim, DeliveryStore } from '../domain/delivery.js';
import type { WeekStart } from '../domain/weeks.js';
import type { Db } from './database.js';

const asDate = (weekStart: WeekStart) => new Date(`${weekStart}T00:00:00Z`);

export function deliveryStore(db: Db): DeliveryStore {
  const key = (weekStart: WeekStart, channel: Channel) => ({
    weekStart_platform_channelId: {
      weekStart: asDate(weekStart),
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

    async claimDelivery(weekStart, channel, worker, now, leaseMs): Promise<Claim> {
      // The primary key makes the insert the claim: of two processes, exactly one gets a row back.
      const inserted = await db.digestDelivery.createMany({
        data: [
          {
            weekStart: asDate(weekStart),
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
        where: { weekStart: asDate(weekStart), ...channel, status: 'claimed', leaseUntil: { lt: now } },
        data: { claimedBy: worker, leaseUntil: new Date(now.getTime() + leaseMs) },
      });
      if (takenOver.count) return 'takenOver';
      const existing = await db.digestDelivery.findUnique({ where: key(weekStart, channel) });
      return existing?.status === 'posted' ? 'alreadyPosted' : 'heldByAnother';
    },

    async recordPosted(weekStart, channel, worker, messageId, now) {
      await db.digestDelivery.updateMany({
        where: { weekStart: asDate(weekStart), ...channel, claimedBy: worker },
        data: { status: 'posted', messageId, postedAt: now },
      });
    },

    async expireClaim(weekStart, channel, worker) {
      await db.digestDelivery.updateMany({
        where: { weekStart: asDate(weekStart), ...channel, claimedBy: worker, status: 'claimed' },
        data: { leaseUntil: new Date(0) },
      });
    },

    async runStartedAt(weekStart) {
      const first = await db.digestDelivery.aggregate({
        where: { weekStart: asDate(weekStart) },
        _min: { claimedAt: true },
      });
      return first._min.claimedAt;
    },
  };
}
