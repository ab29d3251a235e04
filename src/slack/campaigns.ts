// Lost-customer call campaigns in Slack: /campaign (start, status, pause, resume, close,
// reassign), the start form with its user-group search, and the caller's cards with
// "Log call" and "Couldn't reach", updated in place.
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { campaignHelp, parseCampaignCommand } from '../typedCommands/campaign.js';
import { callListHeading, type CampaignField, type CampaignSummary } from '../domain/campaigns.js';
import type { Person } from '../domain/people.js';
import { callListMessage, progressMessage } from '../render/campaignSlack.js';
import { escapeMrkdwn, fitText } from '../render/slackText.js';
import type { Services } from '../services.js';
import {
  callFormMetadata,
  callFormSubmission,
  callModal,
  callModalId,
  startFormSubmission,
  startModal,
  startModalId,
  userGroupSearch,
} from './campaignForms.js';
import { action, view, type CommandEntry, type SlackFeature } from './handlers.js';

export type CampaignServices = Pick<
  Services,
  | 'log'
  | 'settings'
  | 'language'
  | 'campaignStartForm'
  | 'startCampaign'
  | 'campaignProgress'
  | 'changeCampaign'
  | 'reassignCalls'
  | 'logCall'
  | 'callerCards'
>;

// A call card's buttons live in the caller's direct message, or in their Home tab (a view).
const buttonPayload = z.object({
  trigger_id: z.string(),
  actions: z.array(z.object({ value: z.string() })).min(1),
  container: z.union([
    z.object({ channel_id: z.string(), message_ts: z.string() }),
    z.object({ type: z.literal('view'), view_id: z.string() }),
  ]),
});

/** Where the pressed card is: a message to update, or (empty) the Home tab, drawn again instead. */
function cardPlace(container: z.infer<typeof buttonPayload>['container']): { channel: string; ts: string } {
  return 'channel_id' in container
    ? { channel: container.channel_id, ts: container.message_ts }
    : { channel: '', ts: '' };
}

/** The start form's block for each campaign input, so a refusal shows under the field it is about. */
const startBlocks: Record<CampaignField, string> = {
  name: 'name',
  lostFrom: 'lost_from',
  lostUntil: 'lost_until',
  segments: 'segments',
  minValue: 'min_value',
  callers: 'callers',
  dueOn: 'due_on',
  guidance: 'guidance',
};

export function createCampaigns(
  services: CampaignServices,
  options: { refreshHome?: (client: WebClient, userId: string) => Promise<void> } = {},
): SlackFeature {
  async function refreshCard(
    client: WebClient,
    person: Person,
    campaign: CampaignSummary,
    callerId: string,
    part: number,
    where: { channel: string; ts: string },
  ) {
    if (!where.channel) return options.refreshHome?.(client, person.userId);
    const cards = await services.callerCards(person, campaign.id, callerId, part);
    if (!cards.ok) return;
    const message = callListMessage(callListHeading(campaign, part), cards.cards, services.settings);
    await client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks });
  }

  const campaign: CommandEntry = {
    failed: 'Something went wrong on our side and nothing was changed. Please try again in a minute.',
    async handle({ person, text, triggerId, client, answer }) {
      const parsed = parseCampaignCommand(text);
      if (!parsed.ok) return answer(parsed.message);
      const { command } = parsed;
      switch (command.kind) {
        case 'help':
          return answer(campaignHelp);
        case 'start': {
          const form = await services.campaignStartForm(person);
          if (!form.ok) return answer(form.message);
          await client.views.open({ trigger_id: triggerId, view: startModal(form.segments, form.today) });
          return;
        }
        case 'status': {
          const result = await services.campaignProgress(person, command.number);
          if (!result.ok) return answer(result.message);
          return answer(progressMessage(result.progress, services.settings));
        }
        case 'change':
          return answer(escapeMrkdwn((await services.changeCampaign(person, command.number, command.action)).message));
        case 'reassign':
          return answer(
            escapeMrkdwn((await services.reassignCalls(person, command.from, command.to, command.number)).message),
          );
      }
    },
  };

  const startForm = view({
    state: startFormSubmission,
    incomplete: { field: 'name', message: 'The form came back incomplete. Please fill it in again.' },
    async handle({ person, client, values, refuse, accept }) {
      let groupMembers: string[] = [];
      if (values.userGroup) {
        try {
          groupMembers = (await client.usergroups.users.list({ usergroup: values.userGroup })).users ?? [];
        } catch (error) {
          services.log('could not read a user group', { group: values.userGroup, error: String(error) });
          return refuse({ caller_group: 'I could not read that user group. Pick the callers one by one instead.' });
        }
      }
      const callers = [...(values.input.callers ?? []), ...groupMembers];
      const result = await services.startCampaign(person, { ...values.input, callers });
      if (!result.ok) return refuse({ [result.field ? startBlocks[result.field] : 'name']: result.message });
      await accept();
      const im = await client.conversations.open({ users: person.userId });
      await client.chat.postMessage({ channel: im.channel!.id!, text: escapeMrkdwn(result.message) });
    },
  });

  const logCall = action({
    payload: buttonPayload,
    async handle({ payload, client, answer }) {
      const callId = payload.actions[0]!.value;
      const form = callModal(await services.language.vocabulary(), { callId, ...cardPlace(payload.container) });
      await client.views
        .open({ trigger_id: payload.trigger_id, view: form })
        .catch(async () => answer('I could not open the form. Please press "Log call" again.'));
    },
  });

  const unreachable = action({
    payload: buttonPayload,
    async handle({ person, payload, client, answer }) {
      const result = await services.logCall(person, payload.actions[0]!.value, { reached: false });
      if (!result.ok) return answer(escapeMrkdwn(result.message));
      await refreshCard(
        client,
        person,
        result.call.campaign,
        result.call.callerId,
        result.call.part,
        cardPlace(payload.container),
      );
    },
  });

  const callForm = view({
    state: callFormSubmission,
    metadata: callFormMetadata,
    incomplete: { field: 'reached', message: 'The form came back incomplete. Please fill it in again.' },
    async handle({ person, client, values, metadata, refuse, accept }) {
      const result = await services.logCall(person, metadata.callId, values);
      if (!result.ok) return refuse({ [result.field === 'reason' ? 'reason' : 'reached']: result.message });
      await accept();
      await refreshCard(client, person, result.call.campaign, result.call.callerId, result.call.part, metadata).catch(
        (error) => services.log('could not update the call card', { error: String(error) }),
      );
    },
  });

  return {
    commands: { '/campaign': campaign },
    views: { [startModalId]: startForm, [callModalId]: callForm },
    actions: { call_log: logCall, call_unreachable: unreachable },
    options: {
      [userGroupSearch]: {
        async handle(typed, client) {
          const query = typed.trim().toLowerCase();
          const groups = (await client.usergroups.list({ include_disabled: false })).usergroups ?? [];
          const matching = groups
            .filter((group) => !query || `${group.name ?? ''} ${group.handle ?? ''}`.toLowerCase().includes(query))
            .slice(0, 100);
          return matching.map((group) => ({
            text: {
              type: 'plain_text',
              text: fitText(`${group.name ?? group.handle} (@${group.handle}, ${group.user_count ?? 0})`, 75),
            },
            value: group.id!,
          }));
        },
      },
    },
  };
}
