// `priorities …` and `customer-room` in Teams, the counterparts of Slack's /priorities and
// /customer-room: the list, the add form (a card), done, weeks, the warning card's "Make it
// a priority", and the agenda. The service decides and words everything; this only translates.
import { z } from 'zod';
import { customerRoomToCard } from '../render/customerRoom.js';
import {
  priorityAddSubmit,
  priorityFormCard,
  priorityFromWarningSubmit,
  priorityListCard,
} from '../render/priorityCard.js';
import type { Services } from '../services.js';
import { parsePrioritiesCommand, prioritiesHelpFor } from '../typedCommands/priorities.js';
import { plainCard } from './listening.js';
import type { HelpEntry } from './router.js';
import type { CommandHandler, SubmitHandler, TurnBase } from './turns.js';

export const prioritiesHelp: HelpEntry[] = [
  {
    usage: 'priorities',
    what: 'the priorities and how each stands; **priorities add** sets one, **priorities done 3** marks #3 done once its complaints stayed down (CCO and leaders)',
  },
  {
    usage: 'customer-room [month | quarter | 2026-Q3]',
    what: 'posts the agenda for the next customer room meeting here, about last week or the period named (CCO and leaders)',
  },
];

const warningOf = z.object({ warningId: z.string().min(1).max(100) });
/** A multi-select sends its values comma-separated; an untouched one sends nothing. */
const ids = z
  .string()
  .optional()
  .transform((value) => (value ? value.split(',').filter(Boolean) : []));
const formValues = z.object({
  title: z.string().default(''),
  owner: z.string().trim().default(''),
  issueIds: ids,
  stageIds: ids,
  momentIds: ids,
  stopDoing: z.string().default(''),
  startedOn: z.string().optional(),
});

export function createPriorities(services: Services) {
  const refusal = (message: string) => plainCard('Not something I can do for you', message);

  async function form(turn: TurnBase, warningId?: string) {
    const result = await services.priorityForm(turn.person, warningId);
    if (!result.ok) return turn.reply(refusal(result.message), result.message);
    return turn.reply(priorityFormCard(result.choices, result.prefill), 'Add a priority');
  }

  const priorities: CommandHandler = async (turn) => {
    const parsed = parsePrioritiesCommand(turn.args.join(' '), '');
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    const { command } = parsed;
    switch (command.kind) {
      case 'help':
        return turn.reply(plainCard('Priorities', prioritiesHelpFor('')), 'Priorities');
      case 'list':
        return turn.reply(priorityListCard(await services.listPriorities()), 'Priorities');
      case 'add':
        return form(turn);
      case 'done': {
        const result = await services.markPriorityDone(turn.person, command.priority);
        return turn.reply(plainCard(result.ok ? 'Priority done' : 'Not done yet', result.message), result.message);
      }
      case 'weeks': {
        const result = await services.setPriorityWeeks(turn.person, command.priority, command.weeks);
        return turn.reply(plainCard(result.ok ? 'Changed' : 'Nothing was changed', result.message), result.message);
      }
    }
  };

  const customerRoom: CommandHandler = async (turn) => {
    const result = await services.customerRoom(turn.person, turn.args.join(' '));
    if (!result.ok) return turn.reply(refusal(result.message), result.message);
    return turn.reply(customerRoomToCard(result.agenda), 'Customer room agenda');
  };

  const add: SubmitHandler = async (turn) => {
    const values = formValues.safeParse(turn.value);
    if (!values.success)
      return turn.reply(
        plainCard('Nothing was saved', 'I could not read that form, so nothing was saved.'),
        'Nothing was saved',
      );
    const { owner: ownerTyped, ...rest } = values.data;
    const member = ownerTyped ? await turn.lookUpMember(ownerTyped) : undefined;
    if (ownerTyped && !member) {
      const message = `I could not find ${ownerTyped} in this conversation or its team. Nothing was saved: type the owner's work email.`;
      return turn.reply(plainCard('Nothing was saved', message), 'Nothing was saved');
    }
    const owner = member
      ? { platform: 'teams' as const, userId: member.userId, name: member.name ?? member.email ?? null }
      : undefined;
    const result = await services.addPriority(turn.person, { ...rest, owner });
    return turn.reply(plainCard(result.ok ? 'Priority added' : 'Nothing was saved', result.message), result.message);
  };

  const fromWarning: SubmitHandler = async (turn) => {
    const parsed = warningOf.safeParse(turn.value);
    return form(turn, parsed.success ? parsed.data.warningId : undefined);
  };

  return {
    commands: { priorities, 'customer-room': customerRoom } satisfies Record<string, CommandHandler>,
    submits: { [priorityAddSubmit]: add, [priorityFromWarningSubmit]: fromWarning } satisfies Record<
      string,
      SubmitHandler
    >,
    help: prioritiesHelp,
  };
}
