// One way in for every Slack callback. Each feature file exports a table of commands,
// actions, views, shortcuts, options and events; `registerHandlers` gives every entry the
// same acknowledgement, payload parsing, error answer and log line, so no entry forgets one.
import type { App, RespondArguments, RespondFn } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { errorDetail } from '../domain/errorDetail.js';
import type { Person } from '../domain/people.js';
import type { Log } from '../logger.js';
import { escapeMrkdwn } from '../render/slackText.js';
import { unfinishedWords } from '../services/apologies.js';
import { commandPayload, slashCommands, unknownCommandAnswer } from './slashCommands.js';

// The wrapper cannot know how far a command got: it says so rather than promise nothing changed.
export const sorry = unfinishedWords('slack');

export const unreadableCommand = 'Slack sent me a command I could not read. Please try again.';

/** What the bot says back: plain words, or words with blocks (the words are the notification text). */
export type Answer = string | { text: string; blocks?: KnownBlock[] };

/** What every entry that came from a person gets to answer them with. */
export interface Reply {
  person: Person;
  client: WebClient;
  /**
   * Shows an answer only the person sees. An entry that acknowledges with its answer sends the
   * first one in the acknowledgement (Slack shows it at once); any later one goes through response_url.
   */
  answer(answer: Answer): Promise<void>;
  /** Replaces the answer the person sees (a reply being sorted, a card updated). */
  replace(answer: Answer): Promise<void>;
  /** Acknowledges now without an answer, if not done yet (before opening a form, say). */
  acknowledge(): Promise<void>;
}

export interface CommandTurn extends Reply {
  channelId: string;
  text: string;
  /** Opens a form; Slack accepts it once, within 3 seconds of the command. */
  triggerId: string;
}

interface Acknowledging {
  /**
   * Acknowledge with the first answer instead of at once: for work that must be done before
   * Slack hears back (feedback is stored first, so a lost acknowledgement cannot lose it).
   */
  ackWithAnswer?: boolean;
  /** Said when the entry fails on our side; must be true about what was and was not saved. */
  failed?: string;
}

export interface CommandEntry extends Acknowledging {
  handle(turn: CommandTurn): Promise<void>;
}

export interface InteractionTurn<P> extends Reply {
  payload: P;
}

export interface ActionEntry<P = unknown> extends Acknowledging {
  payload: z.ZodType<P>;
  /** Said when the payload cannot be read; without it such a payload is ignored. */
  unreadable?: string;
  handle(turn: InteractionTurn<P>): Promise<void>;
}

export type ShortcutEntry<P = unknown> = ActionEntry<P>;

export interface ViewTurn<S, M> {
  person: Person;
  client: WebClient;
  values: S;
  metadata: M;
  /** Keeps the form open with these messages under its fields (block ids). */
  refuse(errors: Record<string, string>): Promise<void>;
  /** Closes the form; the entry may go on working after it. */
  accept(): Promise<void>;
}

export interface ViewEntry<S = unknown, M = unknown> {
  /** Reads `view.state.values`. */
  state: z.ZodType<S>;
  /** Reads the JSON in `private_metadata` (an empty or broken one reads as `{}`). */
  metadata?: z.ZodType<M>;
  /** Shown under this field when the form comes back unreadable. */
  incomplete: { field: string; message: string };
  /** Shown under a field when the entry fails before closing the form; defaults to `sorry` under the incomplete field. */
  failed?: { field: string; message: string };
  handle(turn: ViewTurn<S, M>): Promise<void>;
}

export interface OptionChoice {
  text: { type: 'plain_text'; text: string };
  value: string;
}

export interface OptionsEntry {
  /** The words typed into the select (at most 200 characters), and what to offer; nothing is offered if it fails. */
  handle(query: string, client: WebClient): Promise<OptionChoice[]>;
}

export interface EventEntry {
  handle(event: unknown, context: { botUserId?: string; client: WebClient }): Promise<void>;
}

/** One feature's share of the Slack app. */
export interface SlackFeature {
  commands?: Record<string, CommandEntry>;
  actions?: Record<string, ActionEntry>;
  views?: Record<string, ViewEntry>;
  shortcuts?: Record<string, ShortcutEntry>;
  options?: Record<string, OptionsEntry>;
  events?: Record<string, EventEntry>;
}

/** Lets an entry's payload type be inferred from its schema while the table holds entries of any payload. */
export const action = <P>(entry: ActionEntry<P>): ActionEntry => entry;
export const shortcut = <P>(entry: ShortcutEntry<P>): ShortcutEntry => entry;
export const view = <S, M = Record<string, never>>(entry: ViewEntry<S, M>): ViewEntry => entry;

// Slack sends a trigger with every command; a form can only be opened with it.
const commandWithTrigger = commandPayload.extend({ trigger_id: z.string().min(1) });

const userOf = z.object({ user: z.object({ id: z.string().min(1) }) });
const optionsQuery = z.object({ value: z.string().max(200).catch('') }).catch({ value: '' });

const asArguments = (answer: Answer): RespondArguments =>
  typeof answer === 'string'
    ? { response_type: 'ephemeral', text: answer }
    : { response_type: 'ephemeral', text: answer.text, ...(answer.blocks ? { blocks: answer.blocks } : {}) };

/** The parts of Bolt's App the registration uses: a fake one stands in for it in unit tests. */
export type ListenerHost = Pick<App, 'command' | 'action' | 'view' | 'shortcut' | 'options' | 'event' | 'error'>;

interface Acks {
  ack: (response?: RespondArguments) => Promise<void>;
  respond: RespondFn;
}

/** Acknowledges once; answers go through response_url, but a command's first answer may ride on the acknowledgement. */
function replier(
  entry: Acknowledging,
  person: Person,
  client: WebClient,
  { ack, respond }: Acks,
  ackCarriesAnswer: boolean,
) {
  let acked = false;
  const acknowledge = async (response?: RespondArguments) => {
    if (acked) return;
    acked = true;
    await ack(response);
  };
  const reply: Reply = {
    person,
    client,
    acknowledge: () => acknowledge(),
    answer: async (answer) => {
      if (!acked && entry.ackWithAnswer && ackCarriesAnswer) return acknowledge(asArguments(answer));
      await acknowledge();
      await respond(asArguments(answer));
    },
    replace: async (answer) => {
      await acknowledge();
      await respond({ ...asArguments(answer), replace_original: true });
    },
  };
  return { reply, acknowledge };
}

export function registerHandlers(app: ListenerHost, log: Log, features: SlackFeature[]): void {
  const failed = (kind: string, name: string, error: unknown, where: Record<string, unknown>) =>
    log('slack handler failed', { level: 'error', kind, name, ...where, error: errorDetail(error) });

  /** After a failure: the entry's own truthful words, in the acknowledgement if it is still due. */
  async function sayFailed(entry: Acknowledging, reply: Reply) {
    await reply.answer(entry.failed ?? sorry).catch(() => {});
  }

  for (const feature of features) {
    for (const [name, entry] of Object.entries(feature.commands ?? {})) {
      app.command(name, async ({ ack, command: body, respond, client }) => {
        const parsed = commandWithTrigger.safeParse(body);
        const person: Person = { platform: 'slack', userId: parsed.data?.user_id ?? '' };
        const { reply, acknowledge } = replier(entry, person, client, { ack, respond }, true);
        if (!entry.ackWithAnswer) await acknowledge();
        if (!parsed.success) return void (await reply.answer(unreadableCommand));
        const { channel_id: channelId, text, trigger_id: triggerId } = parsed.data;
        try {
          await entry.handle({ ...reply, channelId, text, triggerId });
        } catch (error) {
          failed('command', name, error, { userId: person.userId, channelId });
          await sayFailed(entry, reply);
        }
        await acknowledge();
      });
    }

    const interactions = (kind: 'action' | 'shortcut', entries: Record<string, ActionEntry>) => {
      for (const [name, entry] of Object.entries(entries)) {
        const listener = async ({
          ack,
          body,
          respond,
          client,
        }: {
          ack: () => Promise<void>;
          body: unknown;
          respond: RespondFn;
          client: WebClient;
        }) => {
          const userId = userOf.safeParse(body).data?.user.id ?? '';
          const { reply, acknowledge } = replier(
            entry,
            { platform: 'slack', userId },
            client,
            { ack: () => ack(), respond },
            false,
          );
          if (!entry.ackWithAnswer) await acknowledge();
          const parsed = entry.payload.safeParse(body);
          if (!parsed.success || !userId) {
            await acknowledge();
            if (entry.unreadable) await reply.answer(entry.unreadable);
            return;
          }
          try {
            await entry.handle({ ...reply, payload: parsed.data });
          } catch (error) {
            failed(kind, name, error, { userId });
            await sayFailed(entry, reply);
          }
          await acknowledge();
        };
        if (kind === 'action') app.action(name, listener);
        else app.shortcut(name, listener);
      }
    };
    interactions('action', feature.actions ?? {});
    interactions('shortcut', feature.shortcuts ?? {});

    for (const [name, entry] of Object.entries(feature.views ?? {})) {
      app.view(name, async ({ ack, view: submitted, body, client }) => {
        let acked = false;
        const close = async (response?: { response_action: 'errors'; errors: Record<string, string> }) => {
          if (acked) return;
          acked = true;
          await ack(response);
        };
        const refuse = (errors: Record<string, string>) => close({ response_action: 'errors', errors });
        const state = entry.state.safeParse(submitted.state.values);
        const metadata = (entry.metadata ?? z.object({})).safeParse(readMetadata(submitted.private_metadata));
        if (!state.success || !metadata.success)
          return void (await refuse({ [entry.incomplete.field]: entry.incomplete.message }));
        const person: Person = { platform: 'slack', userId: body.user.id };
        try {
          await entry.handle({
            person,
            client,
            values: state.data,
            metadata: metadata.data,
            refuse,
            accept: () => close(),
          });
        } catch (error) {
          failed('view', name, error, { userId: person.userId });
          const field = entry.failed ?? { field: entry.incomplete.field, message: sorry };
          // After the form closed there is nobody left to tell: the log line is all.
          if (!acked) await refuse({ [field.field]: field.message }).catch(() => {});
        }
        await close();
      });
    }

    for (const [name, entry] of Object.entries(feature.options ?? {})) {
      app.options(name, async ({ ack, options, client }) => {
        const query = optionsQuery.parse(options).value;
        let choices: OptionChoice[] = [];
        try {
          choices = await entry.handle(query, client);
        } catch (error) {
          failed('options', name, error, {});
        }
        await ack({ options: choices });
      });
    }

    for (const [name, entry] of Object.entries(feature.events ?? {})) {
      app.event(name, async ({ event, context, client }) => {
        try {
          await entry.handle(event, { ...(context.botUserId ? { botUserId: context.botUserId } : {}), client });
        } catch (error) {
          failed('event', name, error, {});
        }
      });
    }
  }

  // Any other command (an old name still in the app's settings): answered in the acknowledgement, so Slack shows it at once.
  app.command(/^\//, async ({ command: body, ack }) => {
    if ((slashCommands as readonly string[]).includes(body.command)) return;
    await ack({ response_type: 'ephemeral', text: escapeMrkdwn(unknownCommandAnswer(body.command)) });
  });

  app.error(async (error) => {
    log('slack error', { level: 'error', error: errorDetail(error) });
  });
}

function readMetadata(text: string | undefined): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return {};
  }
}
