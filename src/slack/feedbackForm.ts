// The feedback form, and the schema that reads its submission back into what the domain logs.
// Block and action ids here are the ones the schema reads.
import type { ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { Vocabulary } from '../domain/classification.js';
import { feedbackSources, severities, sourceWords, type FeedbackInput } from '../domain/feedback.js';
import { fitText } from '../render/slackText.js';

export const plain = (text: string) => ({ type: 'plain_text' as const, text: fitText(text, 75) });
export const option = (label: string, value: string): PlainTextOption => ({ text: plain(label), value });

export const feedbackModalId = 'feedback_modal';
export const customerSearchAction = 'customer_search';

/** Slack caps plain-text inputs at 3000 characters; longer words come through /feedback itself. */
const verbatimMax = 3000;

export function feedbackModal(vocabulary: Vocabulary, channelId: string): ModalView {
  const choice = (label: string, blockId: string, options: PlainTextOption[], optional: boolean) => ({
    type: 'input' as const,
    block_id: blockId,
    optional,
    label: plain(label),
    element: {
      type: 'static_select' as const,
      action_id: 'value',
      placeholder: plain(`Choose ${label.toLowerCase()}`),
      options,
    },
  });
  return {
    type: 'modal',
    callback_id: feedbackModalId,
    private_metadata: JSON.stringify({ channelId }),
    title: plain('Customer feedback'),
    submit: plain('Log it'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'verbatim',
        label: plain('What the customer said'),
        hint: plain('Their own words if you can: leaders read these.'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: verbatimMax },
      },
      {
        type: 'input',
        block_id: 'customer',
        optional: true,
        label: plain('Customer'),
        element: {
          type: 'external_select',
          action_id: customerSearchAction,
          min_query_length: 2,
          placeholder: plain('Search by name'),
        },
      },
      choice(
        'Source',
        'source',
        feedbackSources.map((source) => option(sourceWords[source], source)),
        false,
      ),
      choice(
        'Journey stage',
        'stage',
        vocabulary.stages.slice(0, 100).map((stage) => option(stage.name, stage.id)),
        true,
      ),
      choice(
        'Category',
        'category',
        vocabulary.categories.slice(0, 100).map((category) => option(category.name, category.id)),
        true,
      ),
      choice(
        'Severity',
        'severity',
        severities.map((severity) => option(severity, severity)),
        true,
      ),
    ],
  };
}

export const selected = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() }).optional();
const pick = (field?: { value?: { selected_option?: { value: string } | null } }) =>
  field?.value?.selected_option?.value;

/** The submitted state, read at the edge; anything missing or odd becomes undefined and the domain decides. */
export const feedbackFormSubmission = z
  .object({
    verbatim: z.object({ value: z.object({ value: z.string().nullable().optional() }) }),
    customer: z.object({ [customerSearchAction]: selected }).optional(),
    source: z.object({ value: selected }),
    stage: z.object({ value: selected }).optional(),
    category: z.object({ value: selected }).optional(),
    severity: z.object({ value: selected }).optional(),
  })
  .transform((values): FeedbackInput => {
    const customerId = values.customer?.[customerSearchAction]?.selected_option?.value;
    const stageId = pick(values.stage);
    const categoryId = pick(values.category);
    const severity = pick(values.severity);
    return {
      text: values.verbatim.value.value ?? '',
      source: pick(values.source) as FeedbackInput['source'],
      ...(stageId ? { stageId } : {}),
      ...(categoryId ? { categoryId } : {}),
      ...(severity ? { severity: severity as FeedbackInput['severity'] } : {}),
      ...(customerId ? { customerId } : {}),
    };
  });

/** Where /feedback was typed, so the answer shows up there; a form without it answers in a direct message. */
export const feedbackFormMetadata = z.object({ channelId: z.string().optional() }).catch({});
