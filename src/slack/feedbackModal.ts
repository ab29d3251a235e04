// The forms: logging feedback in detail, and resolving an issue. Block and action ids
// here are read back by the submission handlers in listening.ts.
import { z } from 'zod';
import type { Vocabulary } from '../domain/classification.js';
import { feedbackSources, severities, sourceWords } from '../domain/feedback.js';
import type { IssueSummary } from '../domain/issues.js';
import { fitText } from '../render/slackText.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text: fitText(text, 75) });
const option = (label: string, value: string) => ({ text: plain(label), value });

export const feedbackModalId = 'feedback_modal';
export const resolveModalId = 'resolve_modal';
export const customerSearchAction = 'customer_search';

/** Slack caps plain-text inputs at 3000 characters; longer words come through /feedback itself. */
const verbatimMax = 3000;

export function feedbackModal(vocabulary: Vocabulary, channelId: string) {
  const choice = (label: string, blockId: string, options: Array<{ text: ReturnType<typeof plain>; value: string }>, optional: boolean) => ({
    type: 'input',
    block_id: blockId,
    optional,
    label: plain(label),
    element: { type: 'static_select', action_id: 'value', placeholder: plain(`Choose ${label.toLowerCase()}`), options },
  });
  return {
    type: 'modal' as const,
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
        element: { type: 'external_select', action_id: customerSearchAction, min_query_length: 2, placeholder: plain('Search by name') },
      },
      choice('Source', 'source', feedbackSources.map((source) => option(sourceWords[source], source)), false),
      choice('Journey stage', 'stage', vocabulary.stages.slice(0, 100).map((stage) => option(stage.name, stage.id)), true),
      choice('Category', 'category', vocabulary.categories.slice(0, 100).map((category) => option(category.name, category.id)), true),
      choice('Severity', 'severity', severities.map((severity) => option(severity, severity)), true),
    ],
  };
}

const selected = z.object({ selected_option: z.object({ value: z.string() }).nullable().optional() }).optional();

/** The submitted state, read at the edge; anything missing or odd becomes undefined and the domain decides. */
export const feedbackModalState = z.object({
  verbatim: z.object({ value: z.object({ value: z.string().nullable().optional() }) }),
  customer: z.object({ [customerSearchAction]: selected }).optional(),
  source: z.object({ value: selected }),
  stage: z.object({ value: selected }).optional(),
  category: z.object({ value: selected }).optional(),
  severity: z.object({ value: selected }).optional(),
});

export function resolveModal(issues: IssueSummary[], preselected?: number) {
  const options = issues.slice(0, 100).map((issue) => option(`#${issue.number} ${issue.title}`, String(issue.number)));
  const initial = options.find((candidate) => candidate.value === String(preselected));
  return {
    type: 'modal' as const,
    callback_id: resolveModalId,
    title: plain('Resolve an issue'),
    submit: plain('Resolve and announce'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'issue',
        label: plain('Issue'),
        element: { type: 'static_select', action_id: 'value', options, ...(initial ? { initial_option: initial } : {}) },
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

export const resolveModalState = z.object({
  issue: z.object({ value: selected }),
  what_changed: z.object({ value: z.object({ value: z.string().nullable().optional() }) }),
});
