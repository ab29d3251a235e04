// What the bot does with each Teams activity: remember where it may post, answer
// commands, forget a conversation it was removed from.
import { ActivityHandler, TeamsInfo, TurnContext } from 'botbuilder';
import { answerCard, cardActivity, type AdaptiveCard } from '../render/adaptiveCard.js';
import type { Services } from '../services.js';
import {
  commandText,
  mentionsIn,
  messageActivity,
  parseCommand,
  personFrom,
  type TeamsMember,
  type TurnBase,
} from './turns.js';
import { conversationFromReference, type TeamsConversationStore } from './conversations.js';
import type { TurnAftermath } from './afterTurn.js';
import type { createRouter, SubmitRoute } from './router.js';

export const welcomeCard = () =>
  answerCard('Hello from the customer growth bot', [
    'Every Monday I can post the customer asset digest here: did we earn the right to customer growth?',
    'Type **help** to see what I can do.',
  ]);

/** Teams answers 404 for someone who is not a member there; anything else is our problem and is thrown. */
async function lookUpMember(context: TurnContext, idOrEmail: string): Promise<TeamsMember | undefined> {
  try {
    const member = await TeamsInfo.getMember(context, idOrEmail);
    return {
      userId: member.aadObjectId ?? member.id,
      ...(member.name ? { name: member.name } : {}),
      ...(member.email ? { email: member.email } : {}),
    };
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 || status === 400 || status === 403) return undefined;
    throw error;
  }
}

export function createActivityHandler(
  services: Services,
  conversations: TeamsConversationStore,
  route: ReturnType<typeof createRouter>,
  submit?: SubmitRoute,
  aftermathOf?: (context: TurnContext) => TurnAftermath,
): ActivityHandler {
  const handler = new ActivityHandler();

  async function remember(context: TurnContext) {
    const conversation = conversationFromReference(TurnContext.getConversationReference(context.activity));
    await conversations.remember(conversation);
    return conversation;
  }

  async function forget(context: TurnContext) {
    const { conversationId } = conversationFromReference(TurnContext.getConversationReference(context.activity));
    await conversations.forget(conversationId);
    // The bot can no longer post there, so a subscription would only fail every Monday.
    await services.botRemovedFrom({ platform: 'teams', channelId: conversationId });
    services.log('teams conversation forgotten: the bot was removed', { conversationId });
  }

  const botIsAmong = (context: TurnContext, members: Array<{ id: string }> | undefined) =>
    (members ?? []).some((member) => member.id === context.activity.recipient?.id);

  handler.onMembersAdded(async (context, next) => {
    if (botIsAmong(context, context.activity.membersAdded)) await remember(context);
    await next();
  });

  handler.onMembersRemoved(async (context, next) => {
    if (botIsAmong(context, context.activity.membersRemoved)) await forget(context);
    await next();
  });

  // Teams sends both a conversationUpdate and an installationUpdate on install; only this one greets, so people see one welcome.
  handler.onInstallationUpdateAdd(async (context, next) => {
    await remember(context);
    await context.sendActivity(cardActivity(welcomeCard(), 'Hello from the customer growth bot'));
    await next();
  });

  handler.onInstallationUpdateRemove(async (context, next) => {
    await forget(context);
    await next();
  });

  handler.onMessage(async (context, next) => {
    const parsed = messageActivity.safeParse(context.activity);
    if (!parsed.success) {
      services.log('teams message not understood', {
        issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      });
      await next();
      return;
    }
    // Refreshed on every message: Teams may move a conversation to another serviceUrl.
    const conversation = await remember(context);
    const aftermath = aftermathOf?.(context);
    const turn: TurnBase = {
      person: personFrom(parsed.data),
      ...(parsed.data.from.name ? { personName: parsed.data.from.name } : {}),
      conversation: { id: conversation.conversationId, kind: conversation.kind },
      reply: async (card: AdaptiveCard, summary: string) =>
        (await context.sendActivity(cardActivity(card, summary)))?.id,
      update: async (activityId: string, card: AdaptiveCard, summary: string) =>
        void (await context.updateActivity({ ...cardActivity(card, summary), id: activityId })),
      lookUpMember: (idOrEmail: string) => lookUpMember(context, idOrEmail),
      ...(aftermath ? { later: aftermath.later } : {}),
      ...(parsed.data.id ? { activityId: parsed.data.id } : {}),
    };
    const { value } = parsed.data;
    try {
      if (value && typeof value.action === 'string' && submit) {
        await submit({ ...turn, value, ...(parsed.data.replyToId ? { replyToId: parsed.data.replyToId } : {}) });
      } else {
        await route(parseCommand(commandText(parsed.data)), { ...turn, mentions: mentionsIn(parsed.data) });
      }
    } finally {
      // Even after a failed answer: feedback already stored must still be sorted.
      aftermath?.start();
    }
    await next();
  });

  return handler;
}
