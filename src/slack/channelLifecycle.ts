// Slack says when a channel the bot posts in goes away (archived, deleted, or the bot removed
// from it) and when the app itself is uninstalled or its token revoked. Each ends the
// subscriptions that would otherwise fail every Monday; an uninstall also gives up what the
// outbox still owes Slack, so the CCO sees it under `/cco undelivered`.
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { Services } from '../services.js';

const channelEvent = z.object({ channel: z.string().min(1) });
const memberLeft = z.object({ channel: z.string().min(1), user: z.string().min(1) });
const tokensRevoked = z.object({ tokens: z.object({ bot: z.array(z.string()).optional(), oauth: z.array(z.string()).optional() }) });

type ChannelEnd = 'archived' | 'deleted' | 'left';

export function registerChannelLifecycle(app: App, services: Services): void {
  async function channelEnded(event: unknown, how: ChannelEnd, type: string): Promise<void> {
    const parsed = channelEvent.safeParse(event);
    if (!parsed.success) return services.log('slack event without a channel, ignored', { type });
    const ended = await services.channelGone({ platform: 'slack', channelId: parsed.data.channel });
    services.log('slack channel gone; its subscriptions ended', { type, how, channelId: parsed.data.channel, subscriptions: ended });
  }

  app.event('channel_archive', ({ event }) => channelEnded(event, 'archived', event.type));
  app.event('group_archive', ({ event }) => channelEnded(event, 'archived', event.type));
  app.event('channel_deleted', ({ event }) => channelEnded(event, 'deleted', event.type));
  app.event('group_deleted', ({ event }) => channelEnded(event, 'deleted', event.type));
  // channel_left and group_left go only to the member who left: here, the bot.
  app.event('channel_left', ({ event }) => channelEnded(event, 'left', event.type));
  app.event('group_left', ({ event }) => channelEnded(event, 'left', event.type));
  // Anyone leaving is announced; only the bot's own leaving ends anything. Bolt's botUserId comes from auth.test.
  app.event('member_left_channel', async ({ event, context }) => {
    const parsed = memberLeft.safeParse(event);
    if (!parsed.success || !context.botUserId || parsed.data.user !== context.botUserId) return;
    await channelEnded(event, 'left', event.type);
  });

  async function removed(why: string, type: string): Promise<void> {
    const ended = await services.platformRemoved('slack', why);
    services.log('slack app removed; every Slack subscription ended and the outbox stopped for Slack', { type, ...ended });
  }
  app.event('app_uninstalled', ({ event }) => removed('the app was uninstalled from Slack', event.type));
  app.event('tokens_revoked', async ({ event }) => {
    const parsed = tokensRevoked.safeParse(event);
    // A user's token alone does not stop the bot; the bot token does.
    if (parsed.success && parsed.data.tokens.bot?.length) await removed("the bot's Slack token was revoked", event.type);
  });
}
