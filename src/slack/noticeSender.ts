// Sends outbox notices to Slack channels and direct messages. Each post carries the
// notice id as message metadata, so a retry after an unconfirmed post can look in the
// conversation first and not say the same thing twice.
import type { WebClient } from '@slack/web-api';
import { UndeliverableNotice, type Notice, type NoticeSender } from '../domain/notices.js';
import type { CallCard } from '../domain/campaigns.js';
import type { NumberFormat } from '../domain/numbers.js';
import { callListMessage } from '../render/campaignSlack.js';
import type { SlackMessage } from '../render/digestSlack.js';
import { noticeToSlack } from '../render/noticeSlack.js';
import { honouringRateLimits, slackErrorCode } from './digestPoster.js';

const noticeEventType = 'customer_growth_notice';

/**
 * Slack's answers that no retry will change: the person or channel is gone, or the bot was shut
 * out (removed from the channel, its token revoked, the app uninstalled). Anything else, a
 * timeout included, is retried a bounded number of times (src/domain/notices.ts).
 */
const permanentErrors = new Set([
  'user_not_found',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'user_not_visible',
  'invalid_users',
  'restricted_action',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'team_access_not_granted',
]);

export interface NoticeRendering {
  format: NumberFormat;
  /** A caller's cards as they are when the list is sent. */
  callList(campaignId: string, callerId: string, part: number): Promise<CallCard[]>;
}

async function render(notice: Notice, rendering: NoticeRendering): Promise<SlackMessage> {
  const content = notice.content;
  if (content.kind !== 'campaignCalls') return noticeToSlack(content, rendering.format);
  return callListMessage(
    content,
    await rendering.callList(content.campaignId, content.callerId, content.part),
    rendering.format,
  );
}

export function slackNoticeSender(client: WebClient, rendering: NoticeRendering): NoticeSender {
  // A person's DM channel never changes; conversations.open is rate limited (about 50 a minute), posts are not as much.
  const directMessages = new Map<string, string>();
  async function conversationFor(notice: Notice): Promise<string> {
    if (!notice.toUser) return notice.target;
    const known = directMessages.get(notice.target);
    if (known) return known;
    const opened = await honouringRateLimits(() => client.conversations.open({ users: notice.target }));
    directMessages.set(notice.target, opened.channel!.id!);
    return opened.channel!.id!;
  }

  async function alreadyThere(channel: Notice['target'], notice: Notice): Promise<string | undefined> {
    const oldest = String(Math.floor(notice.createdAt.getTime() / 1000) - 1);
    for await (const page of client.paginate('conversations.history', {
      channel,
      oldest,
      include_all_metadata: true,
      limit: 200,
    })) {
      const found = (
        page as {
          messages?: Array<{ ts: string; metadata?: { event_type?: string; event_payload?: { notice_id?: string } } }>;
        }
      ).messages?.find(
        (message) =>
          message.metadata?.event_type === noticeEventType && message.metadata.event_payload?.notice_id === notice.id,
      );
      if (found) return found.ts;
    }
    return undefined;
  }

  return {
    platform: 'slack',
    async send(notice, { mayAlreadyBeSent }) {
      try {
        const channel = await conversationFor(notice);
        const existing = mayAlreadyBeSent ? await alreadyThere(channel, notice) : undefined;
        if (existing) return existing;
        const message = await render(notice, rendering);
        const posted = await honouringRateLimits(() =>
          client.chat.postMessage({
            channel,
            text: message.text,
            blocks: message.blocks,
            metadata: { event_type: noticeEventType, event_payload: { notice_id: notice.id } },
            unfurl_links: false,
            unfurl_media: false,
          }),
        );
        return posted.ts!;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && permanentErrors.has(code)) throw new UndeliverableNotice(`Slack said ${code}`);
        throw error;
      }
    },
  };
}
