// Posts the digest to a Slack channel. Every message carries Slack message metadata
// naming the week and part, so a run that resumes after a crash can see in the
// channel's history what already landed and post only the rest.
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { DigestPoster } from '../domain/delivery.js';
import type { Digest } from '../domain/digest.js';
import { digestToSlack, type SlackMessage } from '../render/digestSlack.js';
import { withImages, type SlackChartFiles } from './chartFiles.js';
import { honouringRateLimits, slackErrorCode } from './slackCalls.js';

export { honouringRateLimits, slackErrorCode } from './slackCalls.js';

const digestEventType = 'customer_asset_digest';

/** Joins a public channel so the bot can read back its own posts there; private channels need an /invite. */
export async function joinIfPublic(client: WebClient, channel: string): Promise<void> {
  try {
    await client.conversations.join({ channel });
  } catch (error) {
    // Slack answers a private channel the bot is not in with either code; the subscriber is told to /invite it.
    if (!['method_not_supported_for_channel_type', 'channel_not_found'].includes(slackErrorCode(error) ?? ''))
      throw error;
  }
}

interface DigestMetadata {
  event_type?: string;
  event_payload?: { week_start?: string; part?: number };
}

function isPart(metadata: unknown, weekStart: string, part: number): boolean {
  const payload = (metadata as DigestMetadata | undefined)?.event_payload;
  return (
    (metadata as DigestMetadata | undefined)?.event_type === digestEventType &&
    payload?.week_start === weekStart &&
    payload.part === part
  );
}

/**
 * How long one Web API call may take. A call Slack never answers then fails like a dropped
 * connection: the post may have landed, so the retry looks in the conversation first.
 */
export const slackCallTimeoutMs = 20_000;

/**
 * A client for posting digests. The Web API client on its own retries network errors and
 * server errors too, and a post Slack took but did not confirm would then appear twice;
 * here such a failure ends the delivery's lease, and the next run looks before posting.
 */
export function digestClient(
  token: string,
  options: Pick<WebClientOptions, 'slackApiUrl' | 'timeout'> = {},
): WebClient {
  return new WebClient(token, {
    timeout: slackCallTimeoutMs,
    ...options,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/** `charts` uploads the digest's chart; without it the digest goes out with the chart's words only. */
export function slackDigestPoster(client: WebClient, charts?: SlackChartFiles): DigestPoster {
  async function post(
    channel: string,
    message: SlackMessage,
    weekStart: string,
    part: number,
    threadTs?: string,
  ): Promise<string> {
    const result = await honouringRateLimits(() =>
      client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: { event_type: digestEventType, event_payload: { week_start: weekStart, part } },
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return result.ts!;
  }

  /** Our post for the week, if one landed; digests go out after the week ends, so history since its start is enough. */
  async function findMainPost(channel: string, weekStart: string): Promise<string | undefined> {
    const oldest = String(Date.parse(`${weekStart}T00:00:00Z`) / 1000);
    try {
      for await (const page of client.paginate('conversations.history', {
        channel,
        oldest,
        include_all_metadata: true,
        limit: 200,
      })) {
        const found = (page as { messages?: Array<{ ts: string; metadata?: unknown }> }).messages?.find((message) =>
          isPart(message.metadata, weekStart, 0),
        );
        if (found) return found.ts;
      }
    } catch (error) {
      // Unreadable history (the bot left the channel) cannot hold our post in a way we can check: post, rather than stay silent.
      if (slackErrorCode(error) !== 'not_in_channel') throw error;
    }
    return undefined;
  }

  async function postedReplyParts(
    channel: string,
    ts: string,
    weekStart: string,
    replies: number,
  ): Promise<Set<number>> {
    const found = new Set<number>();
    for await (const page of client.paginate('conversations.replies', {
      channel,
      ts,
      include_all_metadata: true,
      limit: 200,
    })) {
      for (const message of (page as { messages?: Array<{ metadata?: unknown }> }).messages ?? []) {
        for (let part = 1; part <= replies; part++) if (isPart(message.metadata, weekStart, part)) found.add(part);
      }
    }
    return found;
  }

  return {
    platform: 'slack',
    async postDigest(channel: string, digest: Digest, { mayAlreadyBePosted }) {
      const [, ...replies] = digestToSlack(digest);
      const existing = mayAlreadyBePosted ? await findMainPost(channel, digest.weekStart) : undefined;
      // The picture is only in the main post: a post already there needs no upload.
      const ts =
        existing ??
        (await withImages(
          charts,
          () => charts!.digestImages(digest),
          (images) => post(channel, digestToSlack(digest, images)[0]!, digest.weekStart, 0),
        ));
      const done = existing ? await postedReplyParts(channel, ts, digest.weekStart, replies.length) : new Set<number>();
      for (const [index, reply] of replies.entries()) {
        if (!done.has(index + 1)) await post(channel, reply, digest.weekStart, index + 1, ts);
      }
      return ts;
    },
  };
}
