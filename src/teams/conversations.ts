// Where the bot may speak in Teams. Teams sends a conversation reference when the bot
// is installed and with every message; the Monday digest needs one to post unprompted.
import type { ConversationReference } from 'botbuilder';
import type { TeamsConversation, TeamsConversationKind } from '../store/teamsConversationStore.js';

// The store holds these so it need not import from the platform it serves; Teams code reads them here.
export type {
  TeamsConversation,
  TeamsConversationKind,
  TeamsConversationStore,
} from '../store/teamsConversationStore.js';

export function conversationKind(conversationType: string | undefined): TeamsConversationKind {
  return conversationType === 'channel' || conversationType === 'groupChat' ? conversationType : 'personal';
}

/**
 * A message in a channel thread arrives with `;messageid=…` on the channel's id. The
 * channel itself is what gets subscribed, and posting to it starts a new thread.
 */
export function channelConversationId(conversationId: string): string {
  return conversationId.split(';messageid=')[0]!;
}

/** The reference to store: the conversation, not the activity it came with, so a later post starts its own thread. */
export function conversationFromReference(reference: Partial<ConversationReference>): TeamsConversation {
  const conversation = reference.conversation;
  if (!conversation?.id || !reference.serviceUrl)
    throw new Error('A Teams activity without a conversation id or serviceUrl');
  const conversationId = channelConversationId(conversation.id);
  const { activityId: _activityId, ...rest } = reference;
  return {
    conversationId,
    kind: conversationKind(conversation.conversationType),
    tenantId: conversation.tenantId ?? null,
    serviceUrl: reference.serviceUrl,
    reference: { ...rest, conversation: { ...conversation, id: conversationId } },
  };
}
