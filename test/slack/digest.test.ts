import { describe, expect, it, vi } from 'vitest';
import { createDigest, type DigestServices } from '../../src/slack/digest.js';
import { fakeSlack, textOf } from './fakeBolt.js';

function fakeServices() {
  return {
    digestLink: vi.fn(async () => ({
      ok: true as const,
      message: 'Your link, for 24 hours:',
      url: 'https://bot.example/digest?week=2026-11-23&token=a&b',
    })),
  };
}

const notInChannel = Object.assign(new Error('An API error occurred: not_in_channel'), {
  data: { ok: false, error: 'not_in_channel' },
});

describe('/digest in Slack', () => {
  it('gives a private link as a rich-text link, so an `&` in it survives every Slack client', async () => {
    const services = fakeServices();
    const slack = fakeSlack(createDigest(services as unknown as DigestServices, { postDigest: async () => '' }));
    await slack.command('/digest', 'link 2026-11-23');
    expect(services.digestLink).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      '2026-11-23',
      'onlyThem',
    );
    const answer = slack.respond.mock.calls[0]![0] as {
      response_type: string;
      blocks: Array<{ type: string; elements?: Array<{ elements: Array<{ url?: string }> }> }>;
    };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks[1]!.elements![0]!.elements[0]!.url).toBe(
      'https://bot.example/digest?week=2026-11-23&token=a&b',
    );
  });

  it('joins the channel before subscribing it, and adds how to invite the bot to a private one', async () => {
    const order: string[] = [];
    const services = {
      ...fakeServices(),
      subscribeDigest: vi.fn(async (_by: unknown, _channel: unknown, beforeStoring?: () => Promise<void>) => {
        await beforeStoring?.();
        order.push('stored');
        return {
          ok: true as const,
          code: 'subscribed' as const,
          message: 'This channel will get the customer asset digest every Monday.',
        };
      }),
    };
    const slack = fakeSlack(createDigest(services as unknown as DigestServices, { postDigest: async () => '' }));
    slack.client.conversations.join.mockImplementation(async () => {
      order.push('joined');
      return { ok: true };
    });
    await slack.command('/digest', 'subscribe', { channel_id: 'C0GROWTH' });
    expect(order).toEqual(['joined', 'stored']);
    expect(services.subscribeDigest).toHaveBeenCalledWith(
      { platform: 'slack', userId: 'U0STAFF' },
      { platform: 'slack', channelId: 'C0GROWTH' },
      expect.any(Function),
    );
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'This channel will get the customer asset digest every Monday. In a private channel, invite me so I can post.',
    );
  });

  it('answers an unknown word with what it can do', async () => {
    const slack = fakeSlack(createDigest(fakeServices() as unknown as DigestServices, { postDigest: async () => '' }));
    await slack.command('/digest', 'explode');
    expect(textOf(slack.respond.mock.calls[0]![0])).toMatch(
      /^I don't know `\/digest explode`\. Try `\/digest preview`/,
    );
  });

  it('asks to be invited when it cannot post the digest in this channel', async () => {
    const services = {
      ...fakeServices(),
      digestNow: vi.fn(async () => ({ ok: true as const, compose: async () => ({}) })),
    };
    const postDigest = vi.fn(async () => Promise.reject(notInChannel));
    const slack = fakeSlack(createDigest(services as unknown as DigestServices, { postDigest }));
    await slack.command('/digest', 'now', { channel_id: 'C0PRIVATE' });
    expect(postDigest).toHaveBeenCalledWith('C0PRIVATE', {}, { mayAlreadyBePosted: false });
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe(
      'I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.',
    );
  });
});
