// One handler per command word, and one per card action (`data.action` of an Action.Submit).
import { answerCard } from '../render/adaptiveCard.js';
import { cardUserText } from '../render/cardText.js';
import type { CommandHandler, CommandTurn, ParsedCommand, SubmitHandler, SubmitTurn } from './turns.js';

export interface HelpEntry {
  usage: string;
  what: string;
}

export function helpCard(entries: HelpEntry[]) {
  return answerCard('What I can do', [
    ...entries.map((entry) => `**${entry.usage}**: ${entry.what}`),
    'In a channel or group chat, @-mention me first.',
  ]);
}

export function createRouter(handlers: Record<string, CommandHandler>, help: HelpEntry[]) {
  const showHelp: CommandHandler = (turn) => turn.reply(helpCard(help), 'What I can do');
  const all: Record<string, CommandHandler> = { help: showHelp, ...handlers };
  return async (command: ParsedCommand, turn: Omit<CommandTurn, 'args'>): Promise<unknown> => {
    const handler = Object.hasOwn(all, command.name) ? all[command.name]! : undefined;
    if (handler) return handler({ ...turn, args: command.args, rest: command.rest });
    const card = helpCard(help);
    card.body.unshift({
      type: 'TextBlock',
      wrap: true,
      weight: 'Bolder',
      text: `I don't know “${cardUserText(command.name, 40)}”.`,
    });
    await turn.reply(card, "I don't know that command");
  };
}

export type SubmitRoute = (turn: SubmitTurn) => Promise<void>;

/** A card from an older version of the bot may send an action nobody handles any more: say so, change nothing. */
export function createSubmitRouter(handlers: Record<string, SubmitHandler>): SubmitRoute {
  return async (turn) => {
    const action = typeof turn.value.action === 'string' ? turn.value.action : '';
    const handler = Object.hasOwn(handlers, action) ? handlers[action]! : undefined;
    if (handler) return void (await handler(turn));
    await turn.reply(
      answerCard('That card is out of date', [
        'I could not tell what that button was for, so nothing was changed. Type **help** to start again.',
      ]),
      'That card is out of date',
    );
  };
}
