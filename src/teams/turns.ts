// What people type to the bot in Teams, read at the edge. In a channel or group chat
// the text starts with the bot's @-mention (`<at>Customer Growth</at> digest now`);
// in a personal chat it is just the words.
import { z } from 'zod';
import type { CommandWords } from '../typedCommands/words.js';
import type { Person } from '../domain/people.js';
import type { AdaptiveCard } from '../render/adaptiveCard.js';
import type { TeamsConversationKind } from './conversations.js';

/** The parts of a Teams message activity the commands use; the rest is botbuilder's business. */
export const messageActivity = z.object({
  text: z.string().default(''),
  from: z.object({
    id: z.string().min(1),
    aadObjectId: z.string().min(1).optional(),
    name: z.string().max(200).optional().catch(undefined),
  }),
  recipient: z.object({ id: z.string().min(1) }),
  conversation: z.object({ id: z.string().min(1) }),
  entities: z
    .array(
      z
        .object({
          type: z.string(),
          mentioned: z.object({ id: z.string(), name: z.string().optional() }).loose().optional(),
          text: z.string().optional(),
        })
        .loose(),
    )
    .optional()
    .catch(undefined),
  /** What an Adaptive Card's Action.Submit sends: its data merged with the card's inputs. */
  value: z.record(z.string(), z.unknown()).optional().catch(undefined),
  /** On a submit, the message holding the card; it is updated in place. */
  replyToId: z.string().optional(),
  /** The activity's own id: the same message delivered twice carries the same one. */
  id: z.string().min(1).max(200).optional().catch(undefined),
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
    if (entity.type === 'mention' && entity.mentioned?.id === activity.recipient.id && entity.text)
      text = text.split(entity.text).join(' ');
  }
  // Some clients leave a leading mention without a matching entity.
  return text
    .replace(/^\s*(<at>[^<]*<\/at>\s*)+/i, '')
    .replace(/&nbsp;/g, ' ')
    .trim();
}

/** People @-mentioned in a message, other than the bot, in the order they appear. */
export interface TeamsMention {
  /** As it appears in the text: `<at>Dana Lee</at>`. */
  text: string;
  /** The Teams user id (`29:…`) Teams put on the mention. */
  id: string;
  name?: string;
}

export function mentionsIn(activity: MessageActivity): TeamsMention[] {
  return (activity.entities ?? []).flatMap((entity) =>
    entity.type === 'mention' && entity.mentioned && entity.mentioned.id !== activity.recipient.id && entity.text
      ? [
          {
            text: entity.text,
            id: entity.mentioned.id,
            ...(entity.mentioned.name ? { name: entity.mentioned.name } : {}),
          },
        ]
      : [],
  );
}

/**
 * A command's words with each mention (`<at>Dana Lee</at>`, spaces and all) as one word, and
 * how to read those words back as people: `ids[i]` for the i-th mention.
 */
export function wordsWithMentions(
  turn: { rest?: string; args: string[]; mentions?: TeamsMention[] },
  ids: Array<string | undefined>,
): { text: string; words: CommandWords } {
  let text = turn.rest ?? turn.args.join(' ');
  for (const [index, mention] of (turn.mentions ?? []).entries())
    text = text.split(mention.text).join(` @mention${index} `);
  return {
    text,
    words: {
      prefix: '',
      mention: (word) => (/^@mention\d+$/.test(word) ? ids[Number(word.slice('@mention'.length))] : undefined),
    },
  };
}

export interface ParsedCommand {
  name: string;
  args: string[];
  /** Everything after the command word, as typed (line breaks kept): feedback and what changed are stored whole. */
  rest: string;
}

export function parseCommand(text: string): ParsedCommand {
  const [name = 'help', ...args] = text.split(/\s+/).filter(Boolean);
  const trimmed = text.trim();
  return { name: name.toLowerCase(), args, rest: trimmed.slice(trimmed.indexOf(name) + name.length).trim() };
}

/** A person as Teams knows them, looked up by Teams id, Entra object id or email. */
export interface TeamsMember {
  /** How roles and notices name a person: the Entra object id where Teams gives one. */
  userId: string;
  name?: string;
  email?: string;
}

/** What every handler has: who asked, where, and how to answer. */
export interface TurnBase {
  person: Person;
  /** The person's name as Teams sent it with the activity, for words others read ("acknowledged by …"). */
  personName?: string;
  conversation: { id: string; kind: TeamsConversationKind };
  /** Answers in the conversation and returns the new message's id. Every answer is an Adaptive Card; `summary` is the notification text. */
  reply(card: AdaptiveCard, summary: string): Promise<string | undefined>;
  /** Replaces a message the bot sent in this conversation. */
  update(activityId: string, card: AdaptiveCard, summary: string): Promise<void>;
  /** A member of this conversation (or its team); undefined when Teams does not know them there. */
  lookUpMember(idOrEmail: string): Promise<TeamsMember | undefined>;
  /**
   * Runs `work` once this turn has answered, for anything slow (a model call, a shared queue),
   * so Teams is never kept waiting. Without it (a handler driven outside the bot) the work runs in the turn.
   */
  later?(work: LaterWork): void;
  /** The incoming activity's id, when Teams sent one. */
  activityId?: string;
}

/** The conversation again, after the turn: answers and updates go out as proactive posts. */
export type LaterConversation = Pick<TurnBase, 'reply' | 'update'>;
export type LaterWork = (conversation: LaterConversation) => Promise<void>;

/** Hands `work` to the turn's aftermath, or runs it now where there is none. */
export async function afterThisTurn(turn: TurnBase, work: LaterWork): Promise<void> {
  if (turn.later) return turn.later(work);
  await work(turn);
}

/** One command, as its handler sees it. */
export interface CommandTurn extends TurnBase {
  args: string[];
  rest?: string;
  mentions?: TeamsMention[];
}

export type CommandHandler = (turn: CommandTurn) => Promise<unknown>;

/** A card's Action.Submit, as its handler sees it: `value.action` chose the handler. */
export interface SubmitTurn extends TurnBase {
  value: Record<string, unknown>;
  /** The message holding the card that was submitted. */
  replyToId?: string;
}

export type SubmitHandler = (turn: SubmitTurn) => Promise<unknown>;
