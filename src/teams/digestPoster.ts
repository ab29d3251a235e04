// Posts the Monday digest to a Teams conversation, unprompted, through the reference
// stored when the bot was installed.
//
// Exactly once: delivery.ts claims each (period, conversation) before posting, so two
// processes never both post. What the connector cannot offer is a look back: a bot
// cannot read a conversation's history, and posting takes no idempotency key. So the
// digest goes out as ONE activity (one moment where a crash can leave doubt), and
// after a crash between the connector taking the post and the database recording it
// (`mayAlreadyBePosted`), the digest is posted again: a rare duplicate rather than a
// Monday with no digest. The takeover is logged, so a duplicate can be explained.
import type { Period } from '../domain/periods.js';
import type { CloudAdapter } from 'botbuilder';
import type { DigestPoster } from '../domain/delivery.js';
import { cardActivity } from '../render/adaptiveCard.js';
import { digestSummary, digestToCard } from '../render/digestCard.js';
import type { Log } from '../services.js';
import type { TeamsConversationStore } from './conversations.js';

export class NoConversationReference extends Error {}

export function teamsDigestPoster(
  adapter: CloudAdapter,
  appId: string,
  conversations: TeamsConversationStore,
  log: Log,
  /** A link Teams can fetch the week's chart from; without one the card carries the chart's words only. */
  chartUrl: (period: Period) => string | undefined = () => undefined,
): DigestPoster {
  return {
    platform: 'teams',
    async postDigest(conversationId, digest, { mayAlreadyBePosted }) {
      const conversation = await conversations.find(conversationId);
      if (!conversation)
        throw new NoConversationReference(
          `No Teams conversation reference for ${conversationId}: add the bot to the conversation again.`,
        );
      if (mayAlreadyBePosted)
        log('teams digest: posting again after an interrupted run; Teams cannot tell whether the first post landed', {
          conversationId,
          period: digest.period.name,
        });
      let messageId: string | undefined;
      await adapter.continueConversationAsync(appId, conversation.reference, async (context) => {
        messageId = (
          await context.sendActivity(
            cardActivity(digestToCard(digest, { movementChartUrl: chartUrl(digest.period) }), digestSummary(digest)),
          )
        )?.id;
      });
      if (!messageId)
        throw new Error(`The Teams connector took the digest for ${conversationId} but returned no activity id`);
      return messageId;
    },
  };
}
