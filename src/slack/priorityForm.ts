// The form for adding a priority, and the schema that reads its submission back. Block and
// action ids here are the ones the schema reads and the service's refusals point at.
import type { ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { PriorityChoices, PriorityField } from '../domain/priorities.js';
import { priorityModalId } from '../render/prioritySlack.js';
import { option, plain } from './feedbackForm.js';

/** Where each of the service's refusals is shown in the form. */
export const priorityFieldBlocks: Record<PriorityField, string> = {
  title: 'title',
  owner: 'owner',
  about: 'stages',
  stopDoing: 'stop_doing',
  startedOn: 'started',
};

export function priorityModal(
  choices: PriorityChoices,
  prefill: { stageIds: string[]; momentIds: string[]; title: string },
): ModalView {
  const many = (blockId: string, label: string, options: PlainTextOption[], chosen: string[]) => {
    const initial = options.filter((each) => chosen.includes(each.value ?? ''));
    return {
      type: 'input' as const,
      block_id: blockId,
      optional: true,
      label: plain(label),
      element: {
        type: 'multi_static_select' as const,
        action_id: 'value',
        placeholder: plain('Choose'),
        options: options.slice(0, 100),
        ...(initial.length ? { initial_options: initial } : {}),
      },
    };
  };
  return {
    type: 'modal',
    callback_id: priorityModalId,
    title: plain('Add a priority'),
    submit: plain('Add it'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'title',
        label: plain('Title'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          max_length: 150,
          ...(prefill.title ? { initial_value: prefill.title } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'owner',
        label: plain('Owner'),
        element: { type: 'users_select', action_id: 'value', placeholder: plain('Who owns it') },
      },
      ...(choices.issues.length
        ? [
            many(
              'issues',
              'Issues it is about',
              choices.issues.map((issue) => option(`#${issue.number} ${issue.title}`, issue.id)),
              [],
            ),
          ]
        : []),
      many(
        'stages',
        'Journey stages it is about',
        choices.stages.map((stage) => option(stage.name, stage.id)),
        prefill.stageIds,
      ),
      ...(choices.moments.length
        ? [
            many(
              'moments',
              'Moments that matter it is about',
              choices.moments.map((moment) => option(`${moment.name} (${moment.stageName})`, moment.id)),
              prefill.momentIds,
            ),
          ]
        : []),
      {
        type: 'input',
        block_id: 'stop_doing',
        label: plain('What the company stops doing to make room'),
        hint: plain('A new priority without something stopped is refused: there is only so much attention.'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1000 },
      },
      {
        type: 'input',
        block_id: 'started',
        optional: true,
        label: plain('Started on'),
        hint: plain('Leave empty for today. Its baseline is the 8 weeks before the week it started.'),
        element: { type: 'datepicker', action_id: 'value' },
      },
    ],
  };
}

const many = z
  .object({ value: z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() }) })
  .optional()
  .transform((block) => (block?.value.selected_options ?? []).map((chosen) => chosen.value));
const typed = z.object({ value: z.object({ value: z.string().nullish() }) });

/** The form's values as the service reads them; the owner's name is looked up by the adapter. */
export const priorityFormSubmission = z
  .object({
    title: typed,
    owner: z.object({ value: z.object({ selected_user: z.string().nullish() }) }),
    issues: many,
    stages: many,
    moments: many,
    stop_doing: typed,
    started: z.object({ value: z.object({ selected_date: z.string().nullish() }) }).optional(),
  })
  .transform((values) => ({
    title: values.title.value.value ?? '',
    ownerId: values.owner.value.selected_user ?? '',
    issueIds: values.issues,
    stageIds: values.stages,
    momentIds: values.moments,
    stopDoing: values.stop_doing.value.value ?? '',
    startedOn: values.started?.value.selected_date ?? undefined,
  }));
