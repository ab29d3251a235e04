// Slack says when a channel the bot posts in goes away (archived, deleted, or the bot removed
// from it) and when the app itself is uninstalled or its token revoked. Each ends the
// subscriptions that would otherwise fail every Monday; an uninstall also gives up what the
// outbox still owes Slack, so the CCO sees it under `/cco undelivered`.
import { z } from 'zod';
import type { Services } from '../services.js';
import type { EventEntry, SlackFeature } from './handlers.js';

export type LifecycleServices = Pick<Services, 'log' | 'channelGone' | 'platformRemoved'>;

const eventType = z.object({ type: z.string() }).catch({ type: 'unknown' });
const channelEvent = z.object({ channel: z.string().min(1) });
const memberLeft = z.object({ channel: z.string().min(1), user: z.string().min(1) });
const tokensRevoked = z.object({
  tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }),
});

type ChannelEnd = 'archived' | 'deleted' | 'left';

export function createChannelLifecycle(services: LifecycleServices): SlackFeature {
  async function channelEnded(event: unknown, how: ChannelEnd): Promise<void> {
    const { type } = eventType.parse(event);
    const parsed = channelEvent.safeParse(event);
    if (!parsed.success) return services.log('slack event without a channel, ignored', { type });
    const ended = await services.channelGone({ platform: 'slack', channelId: parsed.data.channel });
    services.log('slack channel gone; its subscriptions ended', {
      type,
      how,
      channelId: parsed.data.channel,
      subscriptions: ended,
    });
  }
  const ends = (how: ChannelEnd): EventEntry => ({ handle: (event) => channelEnded(event, how) });

  async function removed(why: string, event: unknown): Promise<void> {
    const ended = await services.platformRemoved('slack', why);
    services.log('slack app removed; every Slack subscription ended and the outbox stopped for Slack', {
      type: eventType.parse(event).type,
      ...ended,
    });
  }

  return {
    events: {
      channel_archive: ends('archived'),
      group_archive: ends('archived'),
      channel_deleted: ends('deleted'),
      group_deleted: ends('deleted'),
      // channel_left and group_left go only to the member who left: here, the bot.
      channel_left: ends('left'),
      group_left: ends('left'),
      // Anyone leaving is announced; only the bot's own leaving ends anything. Bolt's botUserId comes from auth.test.
      member_left_channel: {
        async handle(event, { botUserId }) {
          const parsed = memberLeft.safeParse(event);
          if (!parsed.success || !botUserId || parsed.data.user !== botUserId) return;
          await channelEnded(event, 'left');
        },
      },
      app_uninstalled: { handle: (event) => removed('the app was uninstalled from Slack', event) },
      tokens_revoked: {
        async handle(event) {
          const parsed = tokensRevoked.safeParse(event);
          // A user's token alone does not stop the bot; the bot token does.
          if (parsed.success && parsed.data.tokens.bot?.length)
            await removed("the bot's Slack token was revoked", event);
        },
      },
    },
  };
}
