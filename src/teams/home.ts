// `home` in a personal chat: the customer room as a card, composed afresh each time. In a
// channel it would show one person's calls to everyone, so it is kept to the personal chat.
import { answerCard } from '../render/adaptiveCard.js';
import { customerRoomCard } from '../render/homeCard.js';
import type { Services } from '../services.js';
import type { HelpEntry } from './router.js';
import type { CommandHandler } from './turns.js';

export type HomeServices = Pick<Services, 'homeRoom' | 'movementChartUrl' | 'language'>;

export const homeHelp: HelpEntry[] = [
  {
    usage: 'home',
    what: 'the customer room: this week’s customer asset and chart, early warnings, priorities, top issues and your open calls (personal chat)',
  },
];

export function homeCommand(services: HomeServices): CommandHandler {
  return async (turn) => {
    if (turn.conversation.kind !== 'personal')
      return turn.reply(
        answerCard('The customer room is personal', [
          'It shows your own open calls, so I show it only in a personal chat with me. Type **home** there.',
        ]),
        'The customer room is personal',
      );
    const room = await services.homeRoom(turn.person);
    const message = customerRoomCard(
      room,
      await services.language.vocabulary(),
      room.history ? services.movementChartUrl(room.period) : undefined,
    );
    return turn.reply(message.card, message.summary);
  };
}
