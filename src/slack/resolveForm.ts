// The form for resolving an issue, and the schema that reads its submission back.
import type { ModalView } from '@slack/types';
import { z } from 'zod';
import type { IssueSummary } from '../domain/issues.js';
import { option, plain, selected } from './feedbackForm.js';

export const resolveModalId = 'resolve_modal';

export function resolveModal(issues: IssueSummary[], preselected?: number): ModalView {
  const options = issues.slice(0, 100).map((issue) => option(`#${issue.number} ${issue.title}`, String(issue.number)));
  const initial = options.find((candidate) => candidate.value === String(preselected));
  return {
    type: 'modal',
    callback_id: resolveModalId,
    title: plain('Resolve an issue'),
    submit: plain('Resolve and announce'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'issue',
        label: plain('Issue'),
        element: {
          type: 'static_select',
          action_id: 'value',
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'what_changed',
        label: plain('What changed'),
        hint: plain('Announced to the company and sent to everyone who logged it.'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 1500 },
      },
    ],
  };
}

/** The issue as typed in the menu (not yet known to be a number) and what changed. */
export const resolveFormSubmission = z
  .object({
    issue: z.object({ value: selected }),
    what_changed: z.object({ value: z.object({ value: z.string().nullable().optional() }) }),
  })
  .transform((values) => ({
    issue: Number(values.issue.value?.selected_option?.value),
    whatChanged: values.what_changed.value.value ?? '',
  }));
