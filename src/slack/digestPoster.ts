// Posts the digest to a Slack channel. Every message carries Slack message metadata
// naming the week and part, so a run that resumes after a crash can see in the
// channel's history what already landed and post only the rest.
import type { WebClient } from '@slack/web-api';
import type { DigestPoster } from '../domain/delivery.js';
import type { Digest } from '../domain/digest.js';
import { digestToSlack, type SlackMessage } from '../render/digestSlack.js';

const digestEventType = 'customer_asset_digest';

export function slackErrorCode(error: unknown): string | undefined {
  return (error as { data?: { error?: string } } | undefined)?.data?.error;
}

/** Joins a public channel so the bot can read back its own posts there; private channels need an /invite. */
export async function joinIfPublic(client: WebClient, channel: string): Promise<void> {
  try {
    await client.conversations.join({ channel });
  } catch (error) {
    if (slackErrorCode(error) !== 'method_not_supported_for_channel_type') throw error;
  }
}

interface DigestMetadata {
  event_type?: string;
  event_payload?: { week_start?: string; part?: number };
}

function isPart(metadata: unknown, weekStart: string, part: number): boolean {
  const payload = (metadata as DigestMetadata | undefined)?.event_payload;
  return (metadata as DigestMetadata | undefined)?.event_type === digestEventType && payload?.week_start === weekStart && payload.part === part;
}

export function slackDigestPoster(client: WebClient): DigestPoster {
  async function post(channel: string, message: SlackMessage, weekStart: string, part: number, threadTs?: string): Promise<string> {
    const result = await client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as never,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      metadata: { event_type: digestEventType, event_payload: { week_start: weekStart, part } },
      unfurl_links: false,
      unfurl_media: false,
    });
    return result.ts!;
  }

  /** Our post for the week, if one landed; digests go out after the week ends, so history since its start is enough. */
  async function findMainPost(channel: string, weekStart: string): Promise<string | undefined> {
    const oldest = String(Date.parse(`${weekStart}T00:00:00Z`) / 1000);
    try {
      for await (const page of client.paginate('conversations.history', { channel, oldest, include_all_metadata: true, limit: 200 })) {
        const found = (page as { messages?: Array<{ ts: string; metadata?: unknown }> }).messages?.find((message) => isPart(message.metadata, weekStart, 0));
        if (found) return found.ts;
      }
    } catch (error) {
      // Unreadable history (the bot left the channel) cannot hold our post in a way we can check: post, rather than stay silent.
      if (slackErrorCode(error) !== 'not_in_channel') throw error;
    }
    return undefined;
  }

  async function postedReplyParts(channel: string, ts: string, weekStart: string, replies: number): Promise<Set<number>> {
    const found = new Set<number>();
    for await (const page of client.paginate('conversations.replies', { channel, ts, include_all_metadata: true, limit: 200 })) {
      for (const message of (page as { messages?: Array<{ metadata?: unknown }> }).messages ?? []) {
        for (let part = 1; part <= replies; part++) if (isPart(message.metadata, weekStart, part)) found.add(part);
      }
    }
    return found;
  }

  return {
    platform: 'slack',
    async postDigest(channel: string, digest: Digest, { mayAlreadyBePosted }) {
      const [main, ...replies] = digestToSlack(digest);
      const existing = mayAlreadyBePosted ? await findMainPost(channel, digest.weekStart) : undefined;
      const ts = existing ?? (await post(channel, main!, digest.weekStart, 0));
      const done = existing ? await postedReplyParts(channel, ts, digest.weekStart, replies.length) : new Set<number>();
      for (const [index, reply] of replies.entries()) {
        if (!done.has(index + 1)) await post(channel, reply, digest.weekStart, index + 1, ts);
      }
      return ts;
    },
  };
}
