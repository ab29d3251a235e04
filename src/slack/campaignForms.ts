// The campaign forms: starting a lost-customer call campaign and logging one call, each with
// the schema that reads its submission back into what the domain takes.
import type { InputBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { CallOutcome, CampaignInput } from '../domain/campaigns.js';
import type { Vocabulary } from '../domain/classification.js';
import { option, plain, selected } from './feedbackForm.js';

export const startModalId = 'campaign_start_modal';
export const userGroupSearch = 'usergroup_search';
export const callModalId = 'call_log_modal';

export function startModal(segments: string[], today: string): ModalView {
  const date = (blockId: string, label: string, initial?: string): InputBlock => ({
    type: 'input',
    block_id: blockId,
    label: plain(label),
    element: { type: 'datepicker', action_id: 'value', ...(initial ? { initial_date: initial } : {}) },
  });
  return {
    type: 'modal',
    callback_id: startModalId,
    title: plain('Lost-customer calls'),
    submit: plain('Start campaign'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'name',
        label: plain('Campaign name'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 100 },
      },
      date('lost_from', 'Customers lost from'),
      date('lost_until', 'Customers lost until', today),
      {
        type: 'input',
        block_id: 'segments',
        optional: true,
        label: plain('Segments (all if none chosen)'),
        element: {
          type: 'multi_static_select',
          action_id: 'value',
          options: segments.slice(0, 100).map((segment) => option(segment, segment)),
        },
      },
      {
        type: 'input',
        block_id: 'min_value',
        optional: true,
        label: plain('Minimum value lost'),
        element: { type: 'number_input', action_id: 'value', is_decimal_allowed: true, min_value: '0' },
      },
      {
        type: 'input',
        block_id: 'callers',
        optional: true,
        label: plain('Callers'),
        element: { type: 'multi_users_select', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: 'caller_group',
        optional: true,
        label: plain('…and/or everyone in a user group'),
        element: {
          type: 'external_select',
          action_id: userGroupSearch,
          min_query_length: 0,
          placeholder: plain('Search user groups'),
        },
      },
      date('due_on', 'Calls due by'),
      {
        type: 'input',
        block_id: 'guidance',
        optional: true,
        label: plain('Guidance for callers'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 2000 },
      },
    ],
  };
}

export interface CallFormMetadata {
  callId: string;
  channel: string;
  ts: string;
}

export function callModal(vocabulary: Vocabulary, metadata: CallFormMetadata): ModalView {
  const select = (blockId: string, label: string, options: PlainTextOption[], optional = true): InputBlock => ({
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label),
    element: { type: 'static_select', action_id: 'value', options },
  });
  return {
    type: 'modal',
    callback_id: callModalId,
    private_metadata: JSON.stringify(metadata),
    title: plain('Log the call'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      select('reached', 'Did you reach them?', [option('Yes, we spoke', 'yes'), option('No', 'no')], false),
      select('reason', 'Main reason they left', [
        ...vocabulary.categories.slice(0, 99).map((category) => option(category.name, category.id)),
        option('Other', 'other'),
      ]),
      {
        type: 'input',
        block_id: 'reason_other',
        optional: true,
        label: plain('If other, in a few words'),
        element: { type: 'plain_text_input', action_id: 'value', max_length: 500 },
      },
      select(
        'stage',
        'Where in the journey it went wrong',
        vocabulary.stages.slice(0, 100).map((stage) => option(stage.name, stage.id)),
      ),
      {
        type: 'input',
        block_id: 'verbatim',
        optional: true,
        label: plain('What they said, in their words'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
      select('might_return', 'Might they come back?', [
        option('Yes', 'yes'),
        option('Maybe, if we fix it', 'maybe'),
        option('No', 'no'),
      ]),
      {
        type: 'input',
        block_id: 'follow_up',
        optional: true,
        label: plain('Follow-up owner'),
        element: { type: 'users_select', action_id: 'value' },
      },
    ],
  };
}

const value = z.object({ value: z.string().nullable().optional() }).optional();
const date = z.object({ value: z.object({ selected_date: z.string().nullable().optional() }).optional() });

/** The start form as the domain takes it, less the members of a chosen user group, which only Slack can list. */
export const startFormSubmission = z
  .object({
    name: z.object({ value }),
    lost_from: date,
    lost_until: date,
    segments: z
      .object({ value: z.object({ selected_options: z.array(z.object({ value: z.string() })).optional() }).optional() })
      .optional(),
    min_value: z.object({ value }).optional(),
    callers: z.object({ value: z.object({ selected_users: z.array(z.string()).optional() }).optional() }).optional(),
    caller_group: z.object({ [userGroupSearch]: selected }).optional(),
    due_on: date,
    guidance: z.object({ value }).optional(),
  })
  .transform((values): { input: CampaignInput; userGroup?: string } => {
    const userGroup = values.caller_group?.[userGroupSearch]?.selected_option?.value;
    return {
      input: {
        name: values.name.value?.value ?? '',
        lostFrom: values.lost_from.value?.selected_date ?? '',
        lostUntil: values.lost_until.value?.selected_date ?? '',
        segments: values.segments?.value?.selected_options?.map((chosen) => chosen.value) ?? [],
        minValue: values.min_value?.value?.value || 0,
        callers: values.callers?.value?.selected_users ?? [],
        dueOn: values.due_on.value?.selected_date ?? '',
        guidance: values.guidance?.value?.value ?? '',
      },
      ...(userGroup ? { userGroup } : {}),
    };
  });

export const callFormSubmission = z
  .object({
    reached: z.object({ value: selected }),
    reason: z.object({ value: selected }).optional(),
    reason_other: z.object({ value }).optional(),
    stage: z.object({ value: selected }).optional(),
    verbatim: z.object({ value }).optional(),
    might_return: z.object({ value: selected }).optional(),
    follow_up: z.object({ value: z.object({ selected_user: z.string().nullable().optional() }).optional() }).optional(),
  })
  .transform((values): CallOutcome => {
    const reason = values.reason?.value?.selected_option?.value;
    return {
      reached: values.reached.value?.selected_option?.value === 'yes',
      ...(reason ? { reason } : {}),
      ...(values.reason_other?.value?.value ? { reasonOther: values.reason_other.value.value } : {}),
      ...(values.stage?.value?.selected_option?.value ? { stageId: values.stage.value.selected_option.value } : {}),
      ...(values.verbatim?.value?.value ? { verbatim: values.verbatim.value.value } : {}),
      ...(values.might_return?.value?.selected_option?.value
        ? { mightReturn: values.might_return.value.selected_option.value as CallOutcome['mightReturn'] }
        : {}),
      ...(values.follow_up?.value?.selected_user ? { followUpOwner: values.follow_up.value.selected_user } : {}),
    };
  });

export const callFormMetadata = z.object({ callId: z.string(), channel: z.string(), ts: z.string() });
