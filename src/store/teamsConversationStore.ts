import type { TeamsConversationStore } from '../teams/conversations.js';
import type { Db } from './database.js';

export function teamsConversationStore(db: Db): TeamsConversationStore {
  return {
    async remember(conversation) {
      const data = { ...conversation, reference: conversation.reference as object };
      await db.teamsConversation.upsert({ where: { conversationId: conversation.conversationId }, create: data, update: data });
    },
    async find(conversationId) {
      const row = await db.teamsConversation.findUnique({ where: { conversationId } });
      return row && { conversationId: row.conversationId, kind: row.kind, tenantId: row.tenantId, serviceUrl: row.serviceUrl, reference: row.reference as object };
    },
    async forget(conversationId) {
      await db.teamsConversation.deleteMany({ where: { conversationId } });
    },
  };
}
