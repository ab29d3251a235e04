// What people type to the bot in Teams, read at the edge. In a channel or group chat
// the text starts with the bot's @-mention (`<at>Customer Growth</at> digest now`);
// in a personal chat it is just the words.
import { z } from 'zod';
import type { Person } from '../domain/people.js';
import type { AdaptiveCard } from '../render/adaptiveCard.js';
import type { TeamsConversationKind } from './conversations.js';

/** The parts of a Teams message activity the commands use; the rest is botbuilder's business. */
export const messageActivity = z.object({
  text: z.string().default(''),
  from: z.object({ id: z.string().min(1), aadObjectId: z.string().min(1).optional() }),
  recipient: z.object({ id: z.string().min(1) }),
  conversation: z.object({ id: z.string().min(1) }),
  entities: z
    .array(z.object({ type: z.string(), mentioned: z.object({ id: z.string() }).optional(), text: z.string().optional() }).loose())
    .optional()
    .catch(undefined),
});

export type MessageActivity = z.infer<typeof messageActivity>;

/**
 * People are known by their Microsoft Entra object id, which is the same in every
 * team and app and is what an admin sees in Entra; `from.id` is the fallback for
 * channels that do not send one (the Bot Framework Emulator).
 */
export function personFrom(activity: MessageActivity): Person {
  return { platform: 'teams', userId: activity.from.aadObjectId ?? activity.from.id };
}

/** The command words: the bot's own @-mention taken out, other mentions kept for commands that name people. */
export function commandText(activity: MessageActivity): string {
  let text = activity.text;
  for (const entity of activity.entities ?? []) {
    if (entity.type === 'mention' && entity.mentioned?.id === activity.recipient.id && entity.text) text = text.split(entity.text).join(' ');
  }
  // Some clients leave a leading mention without a matching entity.
  return text.replace(/^\s*(<at>[^<]*<\/at>\s*)+/i, '').replace(/&nbsp;/g, ' ').trim();
}

export interface ParsedCommand {
  name: string;
  args: string[];
}

export function parseCommand(text: string): ParsedCommand {
  const [name = 'help', ...args] = text.split(/\s+/).filter(Boolean);
  return { name: name.toLowerCase(), args };
}

/** One command, as its handler sees it: who asked, where, and how to answer. */
export interface CommandTurn {
  person: Person;
  conversation: { id: string; kind: TeamsConversationKind };
  args: string[];
  /** Answers in the conversation. Every answer is an Adaptive Card; `summary` is the notification text. */
  reply(card: AdaptiveCard, summary: string): Promise<void>;
}

export type CommandHandler = (turn: CommandTurn) => Promise<void>;
