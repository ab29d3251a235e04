import { describe, expect, it, vi } from 'vitest';
import { createDigest, type DigestServices } from '../../src/slack/digest.js';
import { fakeSlack, textOf } from './fakeBolt.js';

function fakeServices() {
  return {
    digestLink: vi.fn(async () => ({ ok: true as const, message: 'Your link, for 24 hours:', url: 'https://bot.example/digest?week=2026-11-23&token=a&b' })),
  };
}

const notInChannel = Object.assign(new Error('An API error occurred: not_in_channel'), { data: { ok: false, error: 'not_in_channel' } });

describe('/digest in Slack', () => {
  it('gives a private link as a rich-text link, so an `&` in it survives every Slack client', async () => {
    const services = fakeServices();
    const slack = fakeSlack(createDigest(services as unknown as DigestServices, { postDigest: async () => '' }));
    await slack.command('/digest', 'link 2026-11-23');
    expect(services.digestLink).toHaveBeenCalledWith({ platform: 'slack', userId: 'U0STAFF' }, '2026-11-23', 'onlyThem');
    const answer = slack.respond.mock.calls[0]![0] as { response_type: string; blocks: Array<{ type: string; elements?: Array<{ elements: Array<{ url?: string }> }> }> };
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.blocks[1]!.elements![0]!.elements[0]!.url).toBe('https://bot.example/digest?week=2026-11-23&token=a&b');
  });

  it('answers an unknown word with what it can do', async () => {
    const slack = fakeSlack(createDigest(fakeServices() as unknown as DigestServices, { postDigest: async () => '' }));
    await slack.command('/digest', 'explode');
    expect(textOf(slack.respond.mock.calls[0]![0])).toMatch(/^I don't know `\/digest explode`\. Try `\/digest preview`/);
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
    expect(textOf(slack.respond.mock.calls[0]![0])).toBe('I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.');
  });
});
