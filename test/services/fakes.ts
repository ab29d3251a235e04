// In-memory stand-ins for the stores the services are given, so their outcomes are tested
// in milliseconds, without a database.
import type { Channel, ChannelPurpose, DeliveryStore, Subscription } from '../../src/domain/delivery.js';
import { People, type Person, type RoleName, type RoleStore } from '../../src/domain/people.js';

/** People whose roles are given up front; `bootstrap` as BOOTSTRAP_CCO_SLACK_IDS would make them. */
export function peopleWith(
  roles: Array<[Person, RoleName]>,
  bootstrap: { slack: string[]; teams: string[] } = { slack: [], teams: [] },
): People {
  const stored = new Map(roles.map(([person, role]) => [`${person.platform}:${person.userId}`, role]));
  const store: RoleStore = {
    storedRole: async (person) => stored.get(`${person.platform}:${person.userId}`) ?? null,
    setRole: async (person, role) => void stored.set(`${person.platform}:${person.userId}`, role),
    hasAnyCco: async (platform) => [...stored].some(([key, role]) => key.startsWith(`${platform}:`) && role === 'cco'),
    claimFirstCco: async () => ({ claimed: true }),
  };
  return new People(store, bootstrap);
}

/** Subscriptions in memory; anything a test should not reach throws. */
type Row = Subscription & { purpose: ChannelPurpose; subscribedBy: string };

export function subscriptionsInMemory(): DeliveryStore & { rows: Row[] } {
  const rows: Row[] = [];
  const same = (row: Row, channel: Channel, purpose: ChannelPurpose) =>
    row.platform === channel.platform && row.channelId === channel.channelId && row.purpose === purpose;
  const unused = () => {
    throw new Error('not used by these tests');
  };
  return {
    rows,
    subscriptions: async (purpose) => rows.filter((row) => !purpose || row.purpose === purpose),
    subscribe: async (channel, by, purpose = 'digest') => {
      if (rows.some((row) => same(row, channel, purpose))) return 'alreadySubscribed';
      rows.push({
        platform: channel.platform,
        channelId: channel.channelId,
        purpose,
        subscribedBy: by,
        subscribedAt: new Date(),
      });
      return 'subscribed';
    },
    unsubscribe: async (channel, purpose = 'digest') => {
      const index = rows.findIndex((row) => same(row, channel, purpose));
      if (index < 0) return 'notSubscribed';
      rows.splice(index, 1);
      return 'unsubscribed';
    },
    endSubscriptions: unused,
    claimDelivery: unused,
    recordPosted: unused,
    expireClaim: unused,
    runStartedAt: unused,
  };
}
