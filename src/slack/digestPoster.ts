// Posts the digest to a Slack channel. Every message carries Slack message metadata
// naming the period and part, so a run that resumes after a crash can see in the
// channel's history what already landed and post only the rest.
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { DigestPoster } from '../domain/delivery.js';
import type { Digest } from '../domain/digest.js';
import { addDays } from '../domain/weeks.js';
import type { Period } from '../domain/periods.js';
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
  /** `week_start` is the period's first day; `period` its name (posts from before periods carry only `week_start`, and are weeks). */
  event_payload?: { week_start?: string; period?: string; part?: number };
}

function isPart(metadata: unknown, period: Period, part: number): boolean {
  const payload = (metadata as DigestMetadata | undefined)?.event_payload;
  if ((metadata as DigestMetadata | undefined)?.event_type !== digestEventType || payload?.part !== part) return false;
  return payload.period === undefined
    ? period.kind === 'week' && payload.week_start === period.start
    : payload.period === period.name;
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
    period: Period,
    part: number,
    threadTs?: string,
  ): Promise<string> {
    const result = await honouringRateLimits(() =>
      client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        metadata: {
          event_type: digestEventType,
          event_payload: { week_start: period.start, period: period.name, part },
        },
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return result.ts!;
  }

  /**
   * Our post for the period, if one landed. Digests go out after the period ends, so history since
   * its last week began is enough (for a week, its start), and a year's digest need not page through a year.
   */
  async function findMainPost(channel: string, period: Period): Promise<string | undefined> {
    const oldest = String(Date.parse(`${addDays(period.end, -7)}T00:00:00Z`) / 1000);
    try {
      for await (const page of client.paginate('conversations.history', {
        channel,
        oldest,
        include_all_metadata: true,
        limit: 200,
      })) {
        const found = (page as { messages?: Array<{ ts: string; metadata?: unknown }> }).messages?.find((message) =>
          isPart(message.metadata, period, 0),
        );
        if (found) return found.ts;
      }
    } catch (error) {
      // Unreadable history (the bot left the channel) cannot hold our post in a way we can check: post, rather than stay silent.
      if (slackErrorCode(error) !== 'not_in_channel') throw error;
    }
    return undefined;
  }

  async function postedReplyParts(channel: string, ts: string, period: Period, replies: number): Promise<Set<number>> {
    const found = new Set<number>();
    for await (const page of client.paginate('conversations.replies', {
      channel,
      ts,
      include_all_metadata: true,
      limit: 200,
    })) {
      for (const message of (page as { messages?: Array<{ metadata?: unknown }> }).messages ?? []) {
        for (let part = 1; part <= replies; part++) if (isPart(message.metadata, period, part)) found.add(part);
      }
    }
    return found;
  }

  return {
    platform: 'slack',
    async postDigest(channel: string, digest: Digest, { mayAlreadyBePosted }) {
      const [, ...replies] = digestToSlack(digest);
      const existing = mayAlreadyBePosted ? await findMainPost(channel, digest.period) : undefined;
      // The picture is only in the main post: a post already there needs no upload.
      const ts =
        existing ??
        (await withImages(
          charts,
          () => charts!.digestImages(digest),
          (images) => post(channel, digestToSlack(digest, images)[0]!, digest.period, 0),
        ));
      const done = existing ? await postedReplyParts(channel, ts, digest.period, replies.length) : new Set<number>();
      for (const [index, reply] of replies.entries()) {
        if (!done.has(index + 1)) await post(channel, reply, digest.period, index + 1, ts);
      }
      return ts;
    },
  };
}
