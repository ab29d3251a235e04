// Where the bot may speak in Teams, remembered so the Monday digest and notices can post unprompted.
import type { ConversationReference } from 'botbuilder';
import type { Db } from './database.js';

export type TeamsConversationKind = 'personal' | 'groupChat' | 'channel';

export interface TeamsConversation {
  conversationId: string;
  kind: TeamsConversationKind;
  tenantId: string | null;
  serviceUrl: string;
  reference: Partial<ConversationReference>;
}

export interface TeamsConversationStore {
  remember(conversation: TeamsConversation): Promise<void>;
  find(conversationId: string): Promise<TeamsConversation | null>;
  forget(conversationId: string): Promise<void>;
  /** The bot's personal chat with someone, by the id roles and notices use (Entra object id or Teams id). */
  personalChatWith(userId: string): Promise<TeamsConversation | null>;
  /** The most recently seen conversation with a tenant: where a new personal chat is opened from. */
  latestWithTenant(): Promise<TeamsConversation | null>;
}

type Row = {
  conversationId: string;
  kind: TeamsConversation['kind'];
  tenantId: string | null;
  serviceUrl: string;
  reference: unknown;
};
const fromRow = (row: Row): TeamsConversation => ({
  conversationId: row.conversationId,
  kind: row.kind,
  tenantId: row.tenantId,
  serviceUrl: row.serviceUrl,
  reference: row.reference as object,
});

export function teamsConversationStore(db: Db): TeamsConversationStore {
  return {
    async remember(conversation) {
      const data = { ...conversation, reference: conversation.reference as object };
      await db.teamsConversation.upsert({
        where: { conversationId: conversation.conversationId },
        create: data,
        update: data,
      });
    },
    async find(conversationId) {
      const row = await db.teamsConversation.findUnique({ where: { conversationId } });
      return row && fromRow(row);
    },
    // The person is read from the stored reference's `user`; a company has few enough personal chats with the bot that no index is needed.
    async personalChatWith(userId) {
      const row = await db.teamsConversation.findFirst({
        where: {
          kind: 'personal',
          OR: [
            { reference: { path: ['user', 'aadObjectId'], equals: userId } },
            { reference: { path: ['user', 'id'], equals: userId } },
          ],
        },
        orderBy: { updatedAt: 'desc' },
      });
      return row && fromRow(row);
    },
    async latestWithTenant() {
      const row = await db.teamsConversation.findFirst({
        where: { tenantId: { not: null } },
        orderBy: { updatedAt: 'desc' },
      });
      return row && fromRow(row);
    },
    async forget(conversationId) {
      await db.teamsConversation.deleteMany({ where: { conversationId } });
    },
  };
}
