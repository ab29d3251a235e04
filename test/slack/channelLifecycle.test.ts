import { describe, expect, it, vi } from 'vitest';
import { createChannelLifecycle, type LifecycleServices } from '../../src/slack/channelLifecycle.js';
import { fakeSlack } from './fakeBolt.js';

function fakeServices() {
  return {
    log: vi.fn(),
    channelGone: vi.fn(async () => 1),
    platformRemoved: vi.fn(async () => ({ subscriptions: 2, notices: 3 })),
  };
}

describe('channels and the app going away', () => {
  it('ends a channel’s subscriptions when it is archived or deleted', async () => {
    const services = fakeServices();
    const slack = fakeSlack(createChannelLifecycle(services as unknown as LifecycleServices));
    await slack.event('channel_archive', { channel: 'C0GONE' });
    await slack.event('group_deleted', { channel: 'G0GONE' });
    expect(services.channelGone.mock.calls).toEqual([
      [{ platform: 'slack', channelId: 'C0GONE' }],
      [{ platform: 'slack', channelId: 'G0GONE' }],
    ]);
  });

  it('ends nothing when someone other than the bot leaves a channel', async () => {
    const services = fakeServices();
    const slack = fakeSlack(createChannelLifecycle(services as unknown as LifecycleServices));
    await slack.event('member_left_channel', { channel: 'C0HERE', user: 'U0SOMEONE' }, { botUserId: 'U0BOT' });
    expect(services.channelGone).not.toHaveBeenCalled();
    await slack.event('member_left_channel', { channel: 'C0HERE', user: 'U0BOT' }, { botUserId: 'U0BOT' });
    expect(services.channelGone).toHaveBeenCalledWith({ platform: 'slack', channelId: 'C0HERE' });
  });

  it('stops everything for Slack only when the bot’s own token is revoked', async () => {
    const services = fakeServices();
    const slack = fakeSlack(createChannelLifecycle(services as unknown as LifecycleServices));
    await slack.event('tokens_revoked', { tokens: { oauth: ['U0PERSON'] } });
    expect(services.platformRemoved).not.toHaveBeenCalled();
    await slack.event('tokens_revoked', { tokens: { bot: ['U0BOT'] } });
    expect(services.platformRemoved).toHaveBeenCalledWith('slack', "the bot's Slack token was revoked");
  });

  it('logs a failure to end subscriptions instead of losing it', async () => {
    const services = fakeServices();
    services.channelGone.mockRejectedValueOnce(new Error('database down'));
    const slack = fakeSlack(createChannelLifecycle(services as unknown as LifecycleServices));
    await slack.event('channel_deleted', { channel: 'C0GONE' });
    expect(slack.logs[0]).toMatchObject({
      message: 'slack handler failed',
      context: { kind: 'event', name: 'channel_deleted' },
    });
  });
});
