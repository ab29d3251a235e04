// Teams serves one organisation. Anyone can copy the app package into another Microsoft 365
// tenant and their activities arrive here with valid Bot Framework tokens, so every incoming
// activity whose tenant is not listed is dropped before the bot remembers or answers anything.
// Dropping is what Microsoft's Teams guidance for bots limited to one tenant does: the turn
// ends unanswered and botbuilder answers the HTTP request 200 with no body (501 for an
// invoke, as for any invoke the bot does not handle), so the connector sees nothing to retry.
import { ActivityEventNames, ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import type { Log } from '../services.js';
import type { TeamsConversation, TeamsConversationStore } from './conversations.js';

/** Remembered tenants are logged once each, so a hostile tenant cannot fill the log; bounded so it cannot fill memory either. */
const loggedTenantsAtMost = 1000;

/** Every tenant id the activity names (Teams sends it in two places); empty when it names none. */
export function tenantsOf(activity: Partial<Activity>): string[] {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const fromConversation = activity.conversation?.tenantId;
  const ids = [fromChannelData, fromConversation].filter((id): id is string => typeof id === 'string' && id.length > 0);
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** Turns the bot starts itself (proactive posts, opening a chat) are not activities from anyone. */
export function isProactive(activity: Partial<Activity>): boolean {
  return (
    activity.type === ActivityTypes.Event &&
    (activity.name === ActivityEventNames.ContinueConversation ||
      activity.name === ActivityEventNames.CreateConversation)
  );
}

/** True when an activity may be served: no list (emulator mode only), or every tenant it names is listed and it names one. */
export function tenantAllowed(allowed: readonly string[], activity: Partial<Activity>): boolean {
  if (!allowed.length) return true;
  const named = tenantsOf(activity);
  return named.length > 0 && named.every((id) => allowed.includes(id));
}

/** botbuilder middleware: a refused activity never reaches the handler, so nothing is stored, granted or sent. */
export function tenantGate(allowed: readonly string[], log: Log) {
  const logged = new Set<string>();
  return async (context: TurnContext, next: () => Promise<void>): Promise<void> => {
    if (isProactive(context.activity) || tenantAllowed(allowed, context.activity)) return next();
    const tenants = tenantsOf(context.activity);
    const key = tenants.join(',') || '(none)';
    if (!logged.has(key) && logged.size < loggedTenantsAtMost) {
      logged.add(key);
      log(
        'teams activity from a tenant this bot does not serve: ignored, and further ones from it are ignored without a log line',
        {
          tenantIds: tenants.length ? tenants : null,
          activityType: context.activity.type,
          servedTenants: allowed,
        },
      );
    }
  };
}

/**
 * The stored conversations the bot may still post to unprompted: those of a served tenant.
 * One stored before tenants were checked, from another organisation, is as good as gone, so
 * no digest or notice carries the company's data there.
 */
export function servedConversations(store: TeamsConversationStore, allowed: readonly string[]): TeamsConversationStore {
  if (!allowed.length) return store;
  const served = (conversation: TeamsConversation | null) =>
    conversation?.tenantId && allowed.includes(conversation.tenantId.toLowerCase()) ? conversation : null;
  return {
    remember: (conversation) => store.remember(conversation),
    forget: (conversationId) => store.forget(conversationId),
    latestWithTenant: () => store.latestWithTenant(),
    find: async (conversationId) => served(await store.find(conversationId)),
    personalChatWith: async (userId) => served(await store.personalChatWith(userId)),
  };
}
