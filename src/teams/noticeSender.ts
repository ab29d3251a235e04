// Sends outbox notices in Teams: announcements to a stored channel or chat, and direct
// messages in the bot's personal chat with someone, opened (createConversation) when
// the bot has none stored yet. Teams needs the tenant and the serviceUrl for that: the tenant
// is the organisation's own (the first of TEAMS_TENANT_IDS, else MICROSOFT_APP_TENANT_ID), never
// whichever tenant spoke last; the serviceUrl comes from the most recent conversation seen.
//
// Exactly once: the outbox claims each notice with a lease (src/domain/notices.ts), so
// two workers never both send it. What Teams cannot offer is Slack's look back: a bot
// cannot read a conversation's history, and posting takes no idempotency key. So each
// notice is ONE activity, only a 429 is retried (after its Retry-After, see
// connectorRetries.ts), and when a worker takes over a notice whose earlier attempt may
// have landed (`mayAlreadyBeSent`) it sends again and logs that: a rare duplicate rather
// than a lost thank-you or call list, the same rule as the Monday digest.
import { TurnContext, type CloudAdapter, type ConversationParameters, type ConversationReference } from 'botbuilder';
import type { CallCard } from '../domain/campaigns.js';
import type { Vocabulary } from '../domain/classification.js';
import { UndeliverableNotice, type Notice, type NoticeSender } from '../domain/notices.js';
import type { NumberFormat } from '../domain/numbers.js';
import { cardActivity } from '../render/adaptiveCard.js';
import { callListCard } from '../render/campaignCard.js';
import { noticeToCard, type CardMessage } from '../render/noticeCard.js';
import type { Log } from '../services.js';
import { connectorCallTimeoutMs } from './connectorRetries.js';
import { conversationFromReference, type TeamsConversationStore } from './conversations.js';

/** Who the bot's token is for when it opens a chat: the public Bot Framework cloud, as for every other post. */
const botFrameworkAudience = 'https://api.botframework.com';

export interface TeamsNoticeRendering {
  format: NumberFormat;
  vocabulary(): Promise<Vocabulary>;
  /** A caller's cards as they are when the list is sent. */
  callList(campaignId: string, callerId: string, part: number): Promise<CallCard[]>;
}

async function render(notice: Notice, rendering: TeamsNoticeRendering): Promise<CardMessage> {
  const content = notice.content;
  if (content.kind !== 'campaignCalls') return noticeToCard(content, rendering.format);
  const cards = await rendering.callList(content.campaignId, content.callerId, content.part);
  return callListCard(content, cards, await rendering.vocabulary(), rendering.format);
}

/**
 * The connector's answers that no retry will change: the conversation is gone (404), the
 * bot was blocked, uninstalled or shut out by an admin (403), or, when opening a chat,
 * the person is not in the tenant (400/404).
 */
function undeliverable(error: unknown, opening: boolean): string | undefined {
  const status = (error as { statusCode?: number } | undefined)?.statusCode;
  const code = (error as { code?: string } | undefined)?.code;
  if (status === 403 || status === 404 || (opening && status === 400))
    return `Teams answered ${status}${code ? ` ${code}` : ''}`;
  return undefined;
}

export function teamsNoticeSender(
  adapter: CloudAdapter,
  appId: string,
  conversations: TeamsConversationStore,
  rendering: TeamsNoticeRendering,
  log: Log,
  /** Where personal chats are opened; only emulator mode without TEAMS_TENANT_IDS has none, and then the latest conversation's is used. */
  homeTenantId?: string,
): NoticeSender {
  async function post(reference: Partial<ConversationReference>, message: CardMessage): Promise<string | undefined> {
    let id: string | undefined;
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      id = (await context.sendActivity(cardActivity(message.card, message.summary)))?.id;
    });
    return id;
  }

  /** Opens the bot's personal chat with someone (Teams returns the existing one if there is one), posts, and remembers it. */
  async function openAndPost(userId: string, message: CardMessage): Promise<string | undefined> {
    const anchor = await conversations.latestWithTenant();
    // Not undeliverable: once the bot is installed anywhere, the notice can go.
    if (!anchor?.tenantId)
      throw new Error('No Teams conversation with a tenant is stored yet, so a personal chat cannot be opened');
    const tenantId = homeTenantId ?? anchor.tenantId;
    const parameters = {
      isGroup: false,
      bot: anchor.reference.bot,
      // Teams takes the Entra object id here, for people who have the app installed personally.
      members: [{ id: userId }],
      tenantId,
      channelData: { tenant: { id: tenantId } },
    } as ConversationParameters;
    let id: string | undefined;
    // createConversation runs before botbuilder's middleware can take the blind retries off and set the
    // timeout; it is safe to replay, as Teams answers with the same personal chat every time. So it is
    // bounded here: once given up, a late answer posts nothing, and the retry opens the chat again.
    let timer: NodeJS.Timeout | undefined;
    let givenUp = false;
    const tooSlow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        givenUp = true;
        reject(new Error(`Teams did not answer opening a personal chat within ${connectorCallTimeoutMs / 1000} s`));
      }, connectorCallTimeoutMs);
    });
    const opening = adapter.createConversationAsync(
      appId,
      'msteams',
      anchor.serviceUrl,
      botFrameworkAudience,
      parameters,
      async (context) => {
        if (givenUp) return;
        // The chat is open; the post itself goes through the connector client, which has its own timeout.
        clearTimeout(timer);
        const reference = TurnContext.getConversationReference(context.activity);
        await conversations.remember(conversationFromReference({ ...reference, user: { id: userId, name: '' } }));
        id = (await context.sendActivity(cardActivity(message.card, message.summary)))?.id;
      },
    );
    try {
      await Promise.race([opening, tooSlow]);
    } finally {
      clearTimeout(timer);
      opening.catch(() => {});
      tooSlow.catch(() => {});
    }
    return id;
  }

  return {
    platform: 'teams',
    async send(notice, { mayAlreadyBeSent }) {
      if (mayAlreadyBeSent)
        log(
          'teams notice: sending again after an interrupted attempt; Teams cannot tell whether the first one landed',
          { key: notice.key, target: notice.target },
        );
      const message = await render(notice, rendering);
      let opening = false;
      try {
        let id: string | undefined;
        if (!notice.toUser) {
          const conversation = await conversations.find(notice.target);
          if (!conversation)
            throw new UndeliverableNotice(
              `No Teams conversation reference for ${notice.target}: the bot was removed from it`,
            );
          id = await post(conversation.reference, message);
        } else {
          const chat = await conversations.personalChatWith(notice.target);
          opening = !chat;
          id = chat ? await post(chat.reference, message) : await openAndPost(notice.target, message);
        }
        if (!id) throw new Error('The Teams connector took the notice but returned no activity id');
        return id;
      } catch (error) {
        if (error instanceof UndeliverableNotice) throw error;
        const reason = undeliverable(error, opening);
        if (reason) throw new UndeliverableNotice(reason);
        throw error;
      }
    },
  };
}
