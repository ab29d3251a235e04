// Activities shaped as Microsoft Teams sends them, posted to the running bot over HTTP.
import { randomUUID } from 'node:crypto';

export const botId = '28:customer-growth-bot';
export const botName = 'Customer Growth';
export const tenantId = 'tenant-0001';

export interface TeamsUser {
  id: string;
  aadObjectId?: string;
  name: string;
}

export interface TeamsConversationShape {
  id: string;
  conversationType: 'personal' | 'groupChat' | 'channel';
}

function base(serviceUrl: string, conversation: TeamsConversationShape, from: TeamsUser) {
  return {
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: { id: botId, name: botName },
    conversation: {
      ...conversation,
      tenantId,
      ...(conversation.conversationType === 'personal' ? {} : { isGroup: true }),
    },
    channelData: { tenant: { id: tenantId } },
  };
}

export function installActivity(
  serviceUrl: string,
  conversation: TeamsConversationShape,
  from: TeamsUser,
  action: 'add' | 'remove' = 'add',
) {
  return { ...base(serviceUrl, conversation, from), type: 'installationUpdate', action };
}

export function botAddedActivity(serviceUrl: string, conversation: TeamsConversationShape, from: TeamsUser) {
  return { ...base(serviceUrl, conversation, from), type: 'conversationUpdate', membersAdded: [{ id: botId }] };
}

/** A message; outside a personal chat it starts with the bot's @-mention, as Teams requires. */
export function messageActivity(
  serviceUrl: string,
  conversation: TeamsConversationShape,
  from: TeamsUser,
  words: string,
) {
  const mention = `<at>${botName}</at>`;
  const mentioned = conversation.conversationType !== 'personal';
  return {
    ...base(serviceUrl, conversation, from),
    type: 'message',
    text: mentioned ? `${mention} ${words}` : words,
    textFormat: 'plain',
    ...(mentioned ? { entities: [{ type: 'mention', text: mention, mentioned: { id: botId, name: botName } }] } : {}),
  };
}

export async function postActivity(
  botUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(activity),
  });
  return { status: response.status, body: await response.text() };
}

/** A message that @-mentions people: `words` holds `<at>Name</at>` for each, as Teams writes it. */
export function mentionActivity(
  serviceUrl: string,
  conversation: TeamsConversationShape,
  from: TeamsUser,
  words: string,
  mentioned: TeamsUser[],
) {
  const activity = messageActivity(serviceUrl, conversation, from, words);
  const entities = [
    ...((activity as { entities?: unknown[] }).entities ?? []),
    ...mentioned.map((user) => ({
      type: 'mention',
      text: `<at>${user.name}</at>`,
      mentioned: { id: user.id, name: user.name },
    })),
  ];
  return { ...activity, entities };
}

/** What Teams sends when someone presses an Action.Submit: the card's data merged with its inputs, on a message with no text. */
export function submitActivity(
  serviceUrl: string,
  conversation: TeamsConversationShape,
  from: TeamsUser,
  value: Record<string, unknown>,
  replyToId?: string,
) {
  return {
    ...base(serviceUrl, conversation, from),
    type: 'message',
    text: '',
    value,
    ...(replyToId ? { replyToId } : {}),
  };
}

/** The same activity as another Microsoft 365 organisation would send it (both places Teams names the tenant). */
export function inTenant<T extends { conversation: Record<string, unknown>; channelData: Record<string, unknown> }>(
  activity: T,
  tenant: string,
  where: 'both' | 'conversation' = 'both',
): T {
  return {
    ...activity,
    conversation: { ...activity.conversation, tenantId: tenant },
    channelData: where === 'both' ? { ...activity.channelData, tenant: { id: tenant } } : activity.channelData,
  };
}

/** The same activity naming no tenant at all, as the Bot Framework Emulator sends it. */
export function withoutTenant<
  T extends { conversation: Record<string, unknown>; channelData: Record<string, unknown> },
>(activity: T): T {
  const { tenantId: _tenantId, ...conversation } = activity.conversation;
  return { ...activity, conversation, channelData: {} };
}
