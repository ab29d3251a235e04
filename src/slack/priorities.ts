// Priorities in Slack: `/priorities` (the list, `add` opens the form, `done`, `weeks`), the
// form, the warning post's "Make it a priority" button, and `/customer-room` (the agenda,
// posted in the channel). The service decides and words everything; this only translates.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Person } from '../domain/people.js';
import { customerRoomToSlack } from '../render/customerRoom.js';
import { priorityFromWarningAction, priorityListMessage, priorityModalId } from '../render/prioritySlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { parsePrioritiesCommand, prioritiesHelpFor } from '../typedCommands/priorities.js';
import { slackErrorCode } from './digestPoster.js';
import { action, view, type CommandEntry, type SlackFeature } from './handlers.js';
import { priorityFieldBlocks, priorityFormSubmission, priorityModal } from './priorityForm.js';

export type PrioritiesServices = Pick<
  Services,
  'listPriorities' | 'priorityForm' | 'addPriority' | 'markPriorityDone' | 'setPriorityWeeks' | 'customerRoom'
>;

const warningButton = z.object({
  trigger_id: z.string().min(1),
  actions: z.array(z.object({ value: z.string().min(1).max(100) })).min(1),
});

/** The owner's name as Slack knows them, for Teams readers and the record; their id if Slack will not say. */
async function nameOf(client: WebClient, userId: string): Promise<string | null> {
  try {
    const { user } = await client.users.info({ user: userId });
    return user?.real_name || user?.name || null;
  } catch {
    return null;
  }
}

async function openForm(
  services: PrioritiesServices,
  client: WebClient,
  person: Person,
  triggerId: string,
  warningId?: string,
) {
  const form = await services.priorityForm(person, warningId);
  if (!form.ok) return form.message;
  await client.views.open({ trigger_id: triggerId, view: priorityModal(form.choices, form.prefill) });
  return undefined;
}

export function createPriorities(services: PrioritiesServices): SlackFeature {
  const priorities: CommandEntry = {
    failed: 'Something went wrong on our side; nothing about priorities was changed. Please try again in a minute.',
    async handle({ person, text, triggerId, client, answer }) {
      const parsed = parsePrioritiesCommand(text);
      if (!parsed.ok) return answer(escapeMrkdwn(parsed.message));
      const { command } = parsed;
      switch (command.kind) {
        case 'help':
          return answer(prioritiesHelpFor('/'));
        case 'list':
          return answer(priorityListMessage(await services.listPriorities()));
        case 'add': {
          const refused = await openForm(services, client, person, triggerId);
          if (refused) return answer(escapeMrkdwn(refused));
          return;
        }
        case 'done':
          return answer(escapeMrkdwn((await services.markPriorityDone(person, command.priority)).message));
        case 'weeks':
          return answer(
            escapeMrkdwn((await services.setPriorityWeeks(person, command.priority, command.weeks)).message),
          );
      }
    },
  };

  const fromWarning = action({
    payload: warningButton,
    unreadable: 'Slack sent me a button I could not read. Nothing was saved.',
    async handle({ person, payload, client, answer }) {
      const refused = await openForm(services, client, person, payload.trigger_id, payload.actions[0]!.value);
      if (refused) await answer(escapeMrkdwn(refused));
    },
  });

  const form = view({
    state: priorityFormSubmission,
    incomplete: { field: 'title', message: 'Fill in the title, the owner and what the company stops doing.' },
    failed: {
      field: 'stop_doing',
      message:
        'Something went wrong on our side and the priority may not have been saved. Check `/priorities` before adding it again.',
    },
    async handle({ person, client, values, refuse, accept }) {
      const owner = values.ownerId
        ? { platform: 'slack' as const, userId: values.ownerId, name: await nameOf(client, values.ownerId) }
        : undefined;
      const result = await services.addPriority(person, { ...values, owner });
      if (!result.ok)
        return refuse({ [result.field ? priorityFieldBlocks[result.field] : 'title']: result.message.slice(0, 2000) });
      await accept();
      const im = await client.conversations.open({ users: person.userId });
      await client.chat.postMessage({ channel: im.channel!.id!, text: escapeMrkdwn(result.message) });
    },
  });

  const customerRoom: CommandEntry = {
    async handle({ person, channelId, text, client, answer }) {
      const result = await services.customerRoom(person, text);
      if (!result.ok) return answer(escapeMrkdwn(result.message));
      const message = customerRoomToSlack(result.agenda);
      try {
        await client.chat.postMessage({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'not_in_channel' || code === 'channel_not_found')
          return answer('I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.');
        throw error;
      }
    },
  };

  return {
    commands: { '/priorities': priorities, '/customer-room': customerRoom },
    actions: { [priorityFromWarningAction]: fromWarning },
    views: { [priorityModalId]: form },
  };
}
