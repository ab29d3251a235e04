// What the playground's visitor sees of the demo workspace, rebuilt from what the bot did:
// every Web API call and response_url post the stand-in recorded, in order. Nothing here
// decides what the bot says; it only replays the bot's own calls as Slack would show them.
import type { RecordedCall } from './slackStandIn.js';

export interface ShownMessage {
  id: number;
  /** Channel or direct-message conversation. */
  place: string;
  /** Who wrote it: a person, or the bot when absent. */
  author?: string;
  /** An ephemeral message: only this person sees it. */
  visibleTo?: string;
  ts?: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
}

export interface OpenView {
  id: string;
  user: string;
  view: Record<string, unknown>;
}

/** Where a response_url answers: the message the command or button came from. */
interface ResponseOrigin {
  place: string;
  user: string;
  /** The message a button was pressed on, or the command's latest answer. */
  messageId?: number;
}

/** The page shows this many messages at most, oldest dropped first, like a channel scrolled back. */
export const keptMessages = 300;

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const blocksOf = (value: unknown) => (Array.isArray(value) ? value : []);

export class Conversation {
  messages: ShownMessage[] = [];
  views: OpenView[] = [];
  private nextId = 1;
  private seen = 0;
  private origins = new Map<string, ResponseOrigin>();

  /** A person typed this in a channel. */
  typed(place: string, author: string, words: string): ShownMessage {
    return this.add({ place, author, text: words, blocks: [] });
  }

  /** The next response_url's answers belong to this place and person (and, for a button, that message). */
  expectResponses(responseId: string, origin: ResponseOrigin): void {
    this.origins.set(responseId, origin);
    // Slack's response_url works for 30 minutes and five answers; the oldest are long spent.
    if (this.origins.size > keptMessages) this.origins.delete(this.origins.keys().next().value!);
  }

  /** The bot's acknowledgement carried an answer (the HTTP body of a slash command). */
  answered(responseId: string, body: Record<string, unknown>): void {
    this.respond({ ...body, responseId });
  }

  /** Applies the calls recorded since the last look, then forgets them, so a long visit holds only what it shows. */
  catchUp(calls: RecordedCall[]): void {
    for (; this.seen < calls.length; this.seen++) this.apply(calls[this.seen]!);
    calls.splice(0, this.seen);
    this.seen = 0;
    if (this.messages.length > keptMessages) this.messages.splice(0, this.messages.length - keptMessages);
  }

  /** The view was closed (submitted and accepted, or cancelled). */
  closeViews(user: string): void {
    this.views = this.views.filter((view) => view.user !== user);
  }

  replaceView(id: string, view: Record<string, unknown>): void {
    const open = this.views.find((candidate) => candidate.id === id);
    if (open) open.view = { ...view, id };
  }

  pushView(id: string, user: string, view: Record<string, unknown>): void {
    this.views.push({ id, user, view: { ...view, id } });
  }

  private add(message: Omit<ShownMessage, 'id'>): ShownMessage {
    const shown = { ...message, id: this.nextId++ };
    this.messages.push(shown);
    return shown;
  }

  private apply(call: RecordedCall): void {
    const args = call.args;
    const result = record(call.result);
    if (call.rateLimited || result.ok !== true) return;
    switch (call.method) {
      case 'chat.postMessage':
        this.add({
          place: text(result.channel) || text(args.channel),
          ts: text(result.ts),
          ...(text(args.thread_ts) ? { threadTs: text(args.thread_ts) } : {}),
          text: text(args.text),
          blocks: blocksOf(args.blocks),
        });
        return;
      case 'chat.postEphemeral':
        this.add({
          place: text(args.channel),
          visibleTo: text(args.user),
          ts: text(result.message_ts),
          text: text(args.text),
          blocks: blocksOf(args.blocks),
        });
        return;
      case 'chat.update': {
        const shown = this.messages.find(
          (message) => message.place === text(args.channel) && message.ts === text(args.ts),
        );
        if (shown) Object.assign(shown, { text: text(args.text), blocks: blocksOf(args.blocks) });
        return;
      }
      case 'chat.delete':
        this.messages = this.messages.filter(
          (message) => !(message.place === text(args.channel) && message.ts === text(args.ts)),
        );
        return;
      case 'views.open':
      case 'views.push': {
        const view = record(result.view);
        this.pushView(text(view.id), text(record(args).user_id) || this.viewUser(), record(args.view));
        return;
      }
      case 'views.update': {
        const id = text(args.view_id) || this.views.at(-1)?.id;
        if (id) this.replaceView(id, record(args.view));
        return;
      }
      case 'response_url':
        this.respond(args);
        return;
    }
  }

  /** views.open names no person; the form opens for whoever acted last. */
  private lastActor = '';
  actor(user: string): void {
    this.lastActor = user;
  }
  private viewUser(): string {
    return this.lastActor;
  }

  private respond(args: Record<string, unknown>): void {
    const origin = this.origins.get(text(args.responseId));
    if (!origin) return;
    const target =
      origin.messageId === undefined ? undefined : this.messages.find((message) => message.id === origin.messageId);
    if (args.delete_original === true || args.delete_original === 'true') {
      if (target) this.messages = this.messages.filter((message) => message !== target);
      return;
    }
    const content = { text: text(args.text), blocks: blocksOf(args.blocks) };
    if ((args.replace_original === true || args.replace_original === 'true') && target) {
      Object.assign(target, content);
      return;
    }
    const inChannel = args.response_type === 'in_channel';
    const shown = this.add({ place: origin.place, ...(inChannel ? {} : { visibleTo: origin.user }), ...content });
    // A later replace_original from the same command replaces this answer, as in Slack.
    if (origin.messageId === undefined || !target) origin.messageId = shown.id;
  }
}
