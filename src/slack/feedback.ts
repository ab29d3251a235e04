// Logging feedback in Slack: /feedback, the "Log as customer feedback" message shortcut, the
// feedback form, "Log it again anyway", and corrections from the reply's menus. Feedback is
// stored before Slack is acknowledged; sorting it (which may call a model) comes after.
import { z } from 'zod';
import { feedbackSources, severities, type FeedbackInput, type FeedbackView, type Logged } from '../domain/feedback.js';
import { duplicateFeedbackReply, feedbackReply } from '../render/feedbackSlack.js';
import type { SlackMessage } from '../render/digestSlack.js';
import { escapeMrkdwn, unescapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { notStoredWords as notStored } from '../services/apologies.js';
import {
  customerSearchAction,
  feedbackFormMetadata,
  feedbackFormSubmission,
  feedbackModal,
  feedbackModalId,
} from './feedbackForm.js';
import { errorDetail } from '../domain/errorDetail.js';
import { action, shortcut, view, type CommandEntry, type SlackFeature } from './handlers.js';

export type FeedbackServices = Pick<
  Services,
  'log' | 'language' | 'logFeedback' | 'sortFeedback' | 'correctFeedback' | 'searchCustomers'
>;

const couldNotConfirmCorrection =
  'Something went wrong on our side, so I cannot confirm the change was saved. The feedback itself is still stored; look at `/issues` in a minute before choosing again.';

/** A JSON text, parsed as part of the payload so a broken one reads as unreadable, like any other. */
const json = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

/** What "Log it again anyway" carries: the earlier feedback to repeat and the choices made with it. */
const logAgainValue = z.object({
  repeatOf: z.string().uuid(),
  source: z.enum(feedbackSources).optional(),
  severity: z.enum(severities).optional(),
  customerId: z.string().uuid().optional(),
  stageId: z.string().uuid().optional(),
  categoryId: z.string().uuid().optional(),
  messageLink: z.string().url().optional(),
});

const logAgainPayload = z
  .object({ actions: z.array(z.object({ value: json.pipe(logAgainValue) })).min(1) })
  .transform((body) => body.actions[0]!.value);

/** A menu under a logged feedback's reply: its block says which feedback, the option what it becomes. */
const correctionPayload = z
  .object({
    actions: z
      .array(z.object({ block_id: z.string(), selected_option: z.object({ value: z.string().min(1) }) }))
      .min(1),
  })
  .transform((body) => body.actions[0]!)
  .refine((chosen) => chosen.block_id.startsWith('feedback:') && chosen.block_id.length > 'feedback:'.length)
  .transform((chosen) => ({
    feedbackId: chosen.block_id.slice('feedback:'.length),
    value: chosen.selected_option.value,
  }));

const shortcutPayload = z.object({
  channel: z.object({ id: z.string().min(1) }),
  team: z
    .object({ domain: z.string().regex(/^[a-z0-9-]+$/i) })
    .nullable()
    .optional(),
  message_ts: z.string().regex(/^\d+\.\d+$/),
  message: z.object({ text: z.string().optional().default('') }),
});

export function createFeedback(services: FeedbackServices): SlackFeature {
  // The first answer, while sorting, has no menus: it needs nothing from the database.
  const reply = async (logged: FeedbackView, sorting: boolean) =>
    feedbackReply(logged, sorting ? { stages: [], categories: [] } : await services.language.vocabulary(), { sorting });

  /** After the person has their answer: classify, file under an issue, and show where it went. */
  async function sortThenShow(logged: FeedbackView, show: (message: SlackMessage) => Promise<unknown>): Promise<void> {
    const feedbackId = logged.feedback.id;
    try {
      const sorted = await services.sortFeedback(feedbackId, logged.notes);
      if (sorted) await show(await reply(sorted, false));
    } catch (error) {
      services.log('sorting feedback failed', { feedbackId, error: errorDetail(error) });
    }
  }

  // Slack sends `&`, `<` and `>` escaped; feedback is stored as the customer's words ("R&D", not "R&amp;D").
  const feedback: CommandEntry = {
    ackWithAnswer: true,
    failed: notStored,
    async handle({ person, channelId, text, triggerId, client, answer, replace, acknowledge }) {
      if (!text.trim()) {
        await acknowledge();
        const form = feedbackModal(await services.language.vocabulary(), channelId);
        await client.views.open({ trigger_id: triggerId, view: form }).catch(async (error) => {
          services.log('could not open the feedback form', { error: String(error) });
          await answer(
            'I could not open the feedback form. Type it straight in instead: `/feedback what the customer said`.',
          );
        });
        return;
      }
      const logged = await services.logFeedback(person, { text: unescapeMrkdwn(text) });
      if (logged.kind === 'duplicate') return answer(duplicateFeedbackReply(logged));
      if (!logged.ok) return answer(escapeMrkdwn(logged.message));
      await answer(await reply(logged.view, true));
      await sortThenShow(logged.view, replace);
    },
  };

  const logMessage = shortcut({
    payload: shortcutPayload,
    ackWithAnswer: true,
    unreadable: 'I can only log a message from a channel or conversation. Nothing was stored.',
    failed: notStored,
    async handle({ person, payload, answer, replace }) {
      const { channel, team, message_ts, message } = payload;
      // The permalink is built from the payload, not fetched, so storing does not wait on Slack.
      const messageLink = team?.domain
        ? `https://${team.domain}.slack.com/archives/${channel.id}/p${message_ts.replace('.', '')}`
        : undefined;
      const input: FeedbackInput = { text: unescapeMrkdwn(message.text), ...(messageLink ? { messageLink } : {}) };
      const logged = await services.logFeedback(person, input);
      if (logged.kind === 'duplicate') return answer(duplicateFeedbackReply(logged));
      if (!logged.ok) {
        if (logged.reason === 'empty')
          return answer(
            'Nothing was saved: that message has no text to log (only files or attachments). Use `/feedback` and write what the customer said.',
          );
        return answer(escapeMrkdwn(logged.message));
      }
      await answer(await reply(logged.view, true));
      // Later answers replace the first, as /feedback's do.
      await sortThenShow(logged.view, replace);
    },
  });

  const form = view({
    state: feedbackFormSubmission,
    metadata: feedbackFormMetadata,
    incomplete: { field: 'verbatim', message: 'The form came back incomplete. Please fill it in again.' },
    failed: { field: 'verbatim', message: notStored },
    async handle({ person, client, values, metadata, refuse, accept }) {
      const logged: Logged = await services.logFeedback(person, values);
      if (logged.kind === 'refused') return refuse({ verbatim: logged.message });
      await accept();
      const show = async (message: SlackMessage) => {
        // Back where /feedback was typed; a direct message when that is not possible (the bot is not in that channel).
        try {
          if (!metadata.channelId) throw new Error('no channel');
          await client.chat.postEphemeral({
            channel: metadata.channelId,
            user: person.userId,
            text: message.text,
            blocks: message.blocks,
          });
        } catch {
          const im = await client.conversations.open({ users: person.userId });
          await client.chat.postMessage({ channel: im.channel!.id!, text: message.text, blocks: message.blocks });
        }
      };
      if (logged.kind === 'duplicate') return show(duplicateFeedbackReply(logged));
      await sortThenShow(logged.view, show);
    },
  });

  // "Log it again anyway", under "You already logged this as #N": stores the same words once more, as asked.
  const logAgain = action({
    payload: logAgainPayload,
    unreadable: 'I could not read that button. Nothing was saved; log it with `/feedback` again.',
    failed: notStored,
    async handle({ person, payload, answer, replace }) {
      const logged = await services.logFeedback(person, { ...payload, text: '' });
      if (!logged.ok) return answer(escapeMrkdwn(logged.message));
      await replace(await reply(logged.view, true));
      await sortThenShow(logged.view, replace);
    },
  });

  const correction = (field: 'stageId' | 'categoryId' | 'source') =>
    action({
      payload: correctionPayload,
      unreadable: 'I could not read that choice. Nothing was changed.',
      failed: couldNotConfirmCorrection,
      async handle({ person, payload, answer, replace }) {
        const result = await services.correctFeedback(person, payload.feedbackId, { [field]: payload.value });
        if (!result.ok) return answer(escapeMrkdwn(result.message));
        await replace(await reply(result.view, false));
      },
    });

  return {
    commands: { '/feedback': feedback },
    shortcuts: { log_feedback: logMessage },
    views: { [feedbackModalId]: form },
    actions: {
      feedback_log_again: logAgain,
      feedback_stage: correction('stageId'),
      feedback_category: correction('categoryId'),
      feedback_source: correction('source'),
    },
    options: {
      [customerSearchAction]: {
        async handle(query) {
          const customers = query.trim().length >= 2 ? await services.searchCustomers(query) : [];
          return customers.map((customer) => ({
            text: { type: 'plain_text', text: `${customer.name} (${customer.segment})`.slice(0, 75) },
            value: customer.id,
          }));
        },
      },
    },
  };
}
