// Work that must not hold a Teams turn open: sorting feedback may wait on a model for up to
// OPENAI_TIMEOUT_MS, and on the sorting queue Slack shares. Teams waits on the turn's HTTP
// answer, so such work starts once the turn's handler is done, is never awaited by it, and
// reaches the conversation again as a proactive post does (the turn's context is gone by then),
// through the reference of the activity it answers, so an update lands in the same thread.
import { TurnContext, type CloudAdapter } from 'botbuilder';
import { errorDetail } from '../domain/errorDetail.js';
import { cardActivity, type AdaptiveCard } from '../render/adaptiveCard.js';
import type { Log } from '../services.js';
import type { LaterConversation, LaterWork } from './turns.js';

export interface TurnAftermath {
  /** Queues work for when the turn is done. */
  later(work: LaterWork): void;
  /** Starts what was queued, unawaited; called once the turn's handler has returned or thrown. */
  start(): void;
}

export function afterTurns(adapter: CloudAdapter, appId: string, log: Log) {
  return (context: TurnContext): TurnAftermath => {
    const reference = TurnContext.getConversationReference(context.activity);
    const conversation: LaterConversation = {
      async reply(card: AdaptiveCard, summary: string) {
        let id: string | undefined;
        await adapter.continueConversationAsync(appId, reference, async (later) => {
          id = (await later.sendActivity(cardActivity(card, summary)))?.id;
        });
        return id;
      },
      async update(activityId: string, card: AdaptiveCard, summary: string) {
        await adapter.continueConversationAsync(
          appId,
          reference,
          async (later) => void (await later.updateActivity({ ...cardActivity(card, summary), id: activityId })),
        );
      },
    };
    const queued: LaterWork[] = [];
    return {
      later: (work) => void queued.push(work),
      start() {
        for (const work of queued.splice(0)) {
          void work(conversation).catch((error: unknown) =>
            log('teams: work after the turn failed', {
              conversationId: reference.conversation?.id,
              error: errorDetail(error),
            }),
          );
        }
      },
    };
  };
}
