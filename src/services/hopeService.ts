// "You told us, we changed it": resolving an issue thanks everyone who reported it and
// announces what changed in the channels leaders chose.
import type { Channel, ChannelPurpose, DeliveryStore } from '../domain/delivery.js';
import { resolveIssue, type HopeStore } from '../domain/hope.js';
import type { IssueStore, IssueSummary } from '../domain/issues.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import type { People, Person } from '../domain/people.js';
import { placeNames } from './digestService.js';

export type HopeChannelChanged =
  | { ok: true; code: 'subscribed' | 'alreadySubscribed' | 'unsubscribed' | 'notSubscribed'; message: string }
  | Refusal<'notAllowed'>;
/** The open issues to choose from when resolving one, for whoever may resolve them. */
export type ResolveChoices = { ok: true; open: IssueSummary[] } | Refusal<'notAllowed' | 'nothingOpen'>;

export interface HopeServiceDeps {
  issues: IssueStore;
  hope: HopeStore;
  deliveries: DeliveryStore;
  people: People;
  thenSend: <T extends { ok: boolean }>(result: T) => T;
  clock: () => Date;
}

export function createHopeService(deps: HopeServiceDeps) {
  const { issues, hope, deliveries, people, clock } = deps;
  return {
    resolveIssue: async (by: Person, issueNumber: number, whatChanged: string) =>
      deps.thenSend(await resolveIssue({ issues, hope, people, clock }, by, issueNumber, whatChanged)),
    resolveChoices: async (by: Person): Promise<ResolveChoices> => {
      const permission = await people.may(by, 'resolveIssue');
      if (!permission.allowed) return notAllowed(permission);
      const open = await issues.openIssues(100);
      if (!open.length) return { ok: false, code: 'nothingOpen', message: 'There are no open issues to resolve.' };
      return { ok: true, open };
    },
    /** Channels that hear "you told us, we changed it"; leaders choose them. */
    setHopeChannel: async (by: Person, channel: Channel, on: boolean): Promise<HopeChannelChanged> => {
      const permission = await people.may(by, 'subscribeHope');
      if (!permission.allowed) return notAllowed(permission);
      const purpose: ChannelPurpose = 'hope';
      const place = placeNames[channel.platform];
      if (on) {
        const result = await deliveries.subscribe(channel, by.userId, purpose);
        return result === 'subscribed'
          ? {
              ok: true,
              code: 'subscribed',
              message: `When an issue is resolved, I will announce what changed in this ${place}.`,
            }
          : { ok: true, code: 'alreadySubscribed', message: `Fixes are already announced in this ${place}.` };
      }
      const result = await deliveries.unsubscribe(channel, purpose);
      return result === 'unsubscribed'
        ? { ok: true, code: 'unsubscribed', message: 'Fixes will no longer be announced here.' }
        : { ok: true, code: 'notSubscribed', message: 'Fixes were not announced here, so nothing changed.' };
    },
  };
}

export type HopeService = ReturnType<typeof createHopeService>;
