// One handler per command word. Feedback, resolve and campaigns add their own entries.
import { answerCard } from '../render/adaptiveCard.js';
import { cardUserText } from '../render/cardText.js';
import type { CommandHandler, CommandTurn, ParsedCommand } from './commands.js';

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
  return async (command: ParsedCommand, turn: Omit<CommandTurn, 'args'>): Promise<void> => {
    const handler = Object.hasOwn(all, command.name) ? all[command.name]! : undefined;
    if (handler) return handler({ ...turn, args: command.args });
    const card = helpCard(help);
    card.body.unshift({ type: 'TextBlock', wrap: true, weight: 'Bolder', text: `I don't know “${cardUserText(command.name, 40)}”.` });
    await turn.reply(card, "I don't know that command");
  };
}
