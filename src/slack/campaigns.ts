// Lost-customer call campaigns in Slack: /campaign (start, status, pause, resume, close,
// reassign), and the caller's cards with "Log call" and "Couldn't reach", updated in place.
import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { callListHeading, type CallOutcome, type CampaignField, type CampaignSummary } from '../domain/campaigns.js';
import type { Vocabulary } from '../domain/classification.js';
import { errorDetail } from '../domain/errorDetail.js';
import type { Person } from '../domain/people.js';
import { callListMessage, progressMessage } from '../render/campaignSlack.js';
import { escapeMrkdwn, fitText } from '../render/slackText.js';
import type { Services } from '../services.js';
import { campaignHelp, parseCampaignCommand } from '../typedCommands/campaign.js';

const startModalId = 'campaign_start_modal';
const userGroupSearch = 'usergroup_search';
const callModalId = 'call_log_modal';
const plain = (text: string) => ({ type: 'plain_text' as const, text: fitText(text, 75) });
const option = (label: string, value: string) => ({ text: plain(label), value });

function startModal(segments: string[], today: string) {
  const date = (blockId: string, label: string, initial?: string) => ({ type: 'input', block_id: blockId, label: plain(label), element: { type: 'datepicker', action_id: 'value', ...(initial ? { initial_date: initial } : {}) } });
  return {
    type: 'modal' as const,
    callback_id: startModalId,
    title: plain('Lost-customer calls'),
    submit: plain('Start campaign'),
    close: plain('Cancel'),
    blocks: [
      { type: 'input', block_id: 'name', label: plain('Campaign name'), element: { type: 'plain_text_input', action_id: 'value', max_length: 100 } },
      date('lost_from', 'Customers lost from'),
      date('lost_until', 'Customers lost until', today),
      {
        type: 'input',
        block_id: 'segments',
        optional: true,
        label: plain('Segments (all if none chosen)'),
        element: { type: 'multi_static_select', action_id: 'value', options: segments.slice(0, 100).map((segment) => option(segment, segment)) },
      },
      { type: 'input', block_id: 'min_value', optional: true, label: plain('Minimum value lost'), element: { type: 'number_input', action_id: 'value', is_decimal_allowed: true, min_value: '0' } },
      { type: 'input', block_id: 'callers', optional: true, label: plain('Callers'), element: { type: 'multi_users_select', action_id: 'value' } },
      {
        type: 'input',
        block_id: 'caller_group',
        optional: true,
        label: plain('…and/or everyone in a user group'),
        element: { type: 'external_select', action_id: userGroupSearch, min_query_length: 0, placeholder: plain('Search user groups') },
      },
      date('due_on', 'Calls due by'),
      { type: 'input', block_id: 'guidance', optional: true, label: plain('Guidance for callers'), element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 } },
    ],
  };
}

function callModal(vocabulary: Vocabulary, metadata: { callId: string; channel: string; ts: string }) {
  const select = (blockId: string, label: string, options: Array<ReturnType<typeof option>>, optional = true) => ({ type: 'input', block_id: blockId, optional, label: plain(label), element: { type: 'static_select', action_id: 'value', options } });
  return {
    type: 'modal' as const,
    callback_id: callModalId,
    private_metadata: JSON.stringify(metadata),
    title: plain('Log the call'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      select('reached', 'Did you reach them?', [option('Yes, we spoke', 'yes'), option('No', 'no')], false),
      select('reason', 'Main reason they left', [...vocabulary.categories.slice(0, 99).map((category) => option(category.name, category.id)), option('Other', 'other')]),
      { type: 'input', block_id: 'reason_other', optional: true, label: plain('If other, in a few words'), element: { type: 'plain_text_input', action_id: 'value', max_length: 500 } },
      select('stage', 'Where in the journey it went wrong', vocabulary.stages.slice(0, 100).map((stage) => option(stage.name, stage.id))),
      { type: 'input', block_id: 'verbatim', optional: true, label: plain('What they said, in their words'), element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 } },
      select('might_return', 'Might they come back?', [option('Yes', 'yes'), option('Maybe, if we fix it', 'maybe'), option('No', 'no')]),
      { type: 'input', block_id: 'follow_up', optional: true, label: plain('Follow-up owner'), element: { type: 'users_select', action_id: 'value' } },
    ],
  };
}

const value = z.object({ value: z.string().nullable().optional() }).optional();
const picked = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() }).optional();
const startState = z.object({
  name: z.object({ value }),
  lost_from: z.object({ value: z.object({ selected_date: z.string().nullable().optional() }).optional() }),
  lost_until: z.object({ value: z.object({ selected_date: z.string().nullable().optional() }).optional() }),
  segments: z.object({ value: z.object({ selected_options: z.array(z.object({ value: z.string() })).optional() }).optional() }).optional(),
  min_value: z.object({ value }).optional(),
  callers: z.object({ value: z.object({ selected_users: z.array(z.string()).optional() }).optional() }).optional(),
  caller_group: z.object({ [userGroupSearch]: picked }).optional(),
  due_on: z.object({ value: z.object({ selected_date: z.string().nullable().optional() }).optional() }),
  guidance: z.object({ value }).optional(),
});
const callState = z.object({
  reached: z.object({ value: picked }),
  reason: z.object({ value: picked }).optional(),
  reason_other: z.object({ value }).optional(),
  stage: z.object({ value: picked }).optional(),
  verbatim: z.object({ value }).optional(),
  might_return: z.object({ value: picked }).optional(),
  follow_up: z.object({ value: z.object({ selected_user: z.string().nullable().optional() }).optional() }).optional(),
});
const callMetadata = z.object({ callId: z.string(), channel: z.string(), ts: z.string() });
const buttonBody = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string(),
  actions: z.array(z.object({ value: z.string() })).min(1),
  container: z.object({ channel_id: z.string(), message_ts: z.string() }),
});

/** The start form's block for each campaign input, so a refusal shows under the field it is about. */
const startBlocks: Record<CampaignField, string> = { name: 'name', lostFrom: 'lost_from', lostUntil: 'lost_until', segments: 'segments', minValue: 'min_value', callers: 'callers', dueOn: 'due_on', guidance: 'guidance' };

export function registerCampaigns(app: App, services: Services): void {
  const say = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', text });

  async function refreshCard(client: WebClient, person: Person, campaign: CampaignSummary, callerId: string, part: number, where: { channel: string; ts: string }) {
    const cards = await services.callerCards(person, campaign.id, callerId, part);
    if (!cards.ok) return;
    const message = callListMessage(callListHeading(campaign, part), cards.cards, services.settings);
    await client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks as never });
  }

  app.command('/campaign', async ({ ack, body, respond, client }) => {
    await ack();
    const person: Person = { platform: 'slack', userId: body.user_id };
    const parsed = parseCampaignCommand(body.text ?? '');
    if (!parsed.ok) return void (await say(respond, parsed.message));
    try {
      const { command: campaign } = parsed;
      switch (campaign.kind) {
        case 'help':
          return void (await say(respond, campaignHelp));
        case 'start': {
          const form = await services.campaignStartForm(person);
          if (!form.ok) return void (await say(respond, form.message));
          await client.views.open({ trigger_id: body.trigger_id, view: startModal(form.segments, form.today) as never });
          return;
        }
        case 'status': {
          const result = await services.campaignProgress(person, campaign.number);
          if (!result.ok) return void (await say(respond, result.message));
          const message = progressMessage(result.progress, services.settings);
          return void (await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never }));
        }
        case 'change':
          return void (await say(respond, escapeMrkdwn((await services.changeCampaign(person, campaign.number, campaign.action)).message)));
        case 'reassign':
          return void (await say(respond, escapeMrkdwn((await services.reassignCalls(person, campaign.from, campaign.to, campaign.number)).message)));
      }
    } catch (error) {
      services.log('campaign command failed', { userId: person.userId, error: errorDetail(error) });
      await say(respond, 'Something went wrong on our side and nothing was changed. Please try again in a minute.');
    }
  });

  app.view(startModalId, async ({ ack, view, body, client }) => {
    const state = startState.safeParse(view.state.values);
    if (!state.success) return void (await ack({ response_action: 'errors', errors: { name: 'The form came back incomplete. Please fill it in again.' } }));
    const values = state.data;
    const group = values.caller_group?.[userGroupSearch]?.selected_option?.value;
    let groupMembers: string[] = [];
    if (group) {
      try {
        groupMembers = (await client.usergroups.users.list({ usergroup: group })).users ?? [];
      } catch (error) {
        services.log('could not read a user group', { group, error: String(error) });
        return void (await ack({ response_action: 'errors', errors: { caller_group: 'I could not read that user group. Pick the callers one by one instead.' } }));
      }
    }
    const result = await services.startCampaign(
      { platform: 'slack', userId: body.user.id },
      {
        name: values.name.value?.value ?? '',
        lostFrom: values.lost_from.value?.selected_date ?? '',
        lostUntil: values.lost_until.value?.selected_date ?? '',
        segments: values.segments?.value?.selected_options?.map((selected) => selected.value) ?? [],
        minValue: values.min_value?.value?.value || 0,
        callers: [...(values.callers?.value?.selected_users ?? []), ...groupMembers],
        dueOn: values.due_on.value?.selected_date ?? '',
        guidance: values.guidance?.value?.value ?? '',
      },
    );
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: { [result.field ? startBlocks[result.field] : 'name']: result.message } }));
    await ack();
    const im = await client.conversations.open({ users: body.user.id });
    await client.chat.postMessage({ channel: im.channel!.id!, text: escapeMrkdwn(result.message) });
  });

  app.options(userGroupSearch, async ({ ack, options, client }) => {
    const query = z.string().max(200).catch('').parse((options as { value?: unknown }).value).trim().toLowerCase();
    try {
      const groups = (await client.usergroups.list({ include_disabled: false })).usergroups ?? [];
      const matching = groups.filter((group) => !query || `${group.name ?? ''} ${group.handle ?? ''}`.toLowerCase().includes(query)).slice(0, 100);
      await ack({ options: matching.map((group) => ({ text: { type: 'plain_text', text: fitText(`${group.name ?? group.handle} (@${group.handle}, ${group.user_count ?? 0})`, 75) }, value: group.id! })) });
    } catch (error) {
      services.log('could not list user groups', { error: String(error) });
      await ack({ options: [] });
    }
  });

  app.action('call_log', async ({ ack, body, client, respond }) => {
    await ack();
    const parsed = buttonBody.safeParse(body);
    if (!parsed.success) return;
    const callId = parsed.data.actions[0]!.value;
    await client.views
      .open({ trigger_id: parsed.data.trigger_id, view: callModal(await services.language.vocabulary(), { callId, channel: parsed.data.container.channel_id, ts: parsed.data.container.message_ts }) as never })
      .catch(async () => say(respond, 'I could not open the form. Please press "Log call" again.'));
  });

  app.action('call_unreachable', async ({ ack, body, client, respond }) => {
    await ack();
    const parsed = buttonBody.safeParse(body);
    if (!parsed.success) return;
    const person: Person = { platform: 'slack', userId: parsed.data.user.id };
    const result = await services.logCall(person, parsed.data.actions[0]!.value, { reached: false });
    if (!result.ok) return void (await say(respond, escapeMrkdwn(result.message)));
    await refreshCard(client, person, result.call.campaign, result.call.callerId, result.call.part, { channel: parsed.data.container.channel_id, ts: parsed.data.container.message_ts });
  });

  app.view(callModalId, async ({ ack, view, body, client }) => {
    const state = callState.safeParse(view.state.values);
    const metadata = callMetadata.safeParse(JSON.parse(view.private_metadata || '{}'));
    if (!state.success || !metadata.success) return void (await ack({ response_action: 'errors', errors: { reached: 'The form came back incomplete. Please fill it in again.' } }));
    const values = state.data;
    const reason = values.reason?.value?.selected_option?.value;
    const outcome: CallOutcome = {
      reached: values.reached.value?.selected_option?.value === 'yes',
      ...(reason ? { reason } : {}),
      ...(values.reason_other?.value?.value ? { reasonOther: values.reason_other.value.value } : {}),
      ...(values.stage?.value?.selected_option?.value ? { stageId: values.stage.value.selected_option.value } : {}),
      ...(values.verbatim?.value?.value ? { verbatim: values.verbatim.value.value } : {}),
      ...(values.might_return?.value?.selected_option?.value ? { mightReturn: values.might_return.value.selected_option.value as CallOutcome['mightReturn'] } : {}),
      ...(values.follow_up?.value?.selected_user ? { followUpOwner: values.follow_up.value.selected_user } : {}),
    };
    const person: Person = { platform: 'slack', userId: body.user.id };
    const result = await services.logCall(person, metadata.data.callId, outcome);
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: { [result.field === 'reason' ? 'reason' : 'reached']: result.message } }));
    await ack();
    await refreshCard(client, person, result.call.campaign, result.call.callerId, result.call.part, metadata.data).catch((error) =>
      services.log('could not update the call card', { error: String(error) }),
    );
  });
}
