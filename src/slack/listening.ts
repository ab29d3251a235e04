// The listening path in Slack: /feedback, the "Log as customer feedback" message shortcut,
// the feedback form, corrections from the reply's menus, /issues and /resolve. Feedback is
// stored before Slack is acknowledged; sorting it (which may call a model) comes after.
import type { App, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { feedbackSources, severities, type FeedbackInput, type FeedbackView, type Logged } from '../domain/feedback.js';
import { errorDetail } from '../domain/errorDetail.js';
import type { Person } from '../domain/people.js';
import { duplicateFeedbackReply, feedbackReply, openIssuesList } from '../render/feedbackSlack.js';
import { escapeMrkdwn, unescapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { notStoredWords as notStored } from '../services/apologies.js';
import { issuesHelp, parseIssuesCommand, parseResolveCommand } from '../typedCommands/issues.js';
import { privateChannelHint } from './slashCommands.js';
import { customerSearchAction, feedbackModal, feedbackModalId, feedbackModalState, resolveModal, resolveModalId, resolveModalState } from './feedbackModal.js';

type CommandHandler = (person: Person, channelId: string, text: string, respond: RespondFn, client: WebClient) => Promise<void>;

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

const commandBody = z.object({ user_id: z.string().min(1), channel_id: z.string().min(1), text: z.string().default(''), trigger_id: z.string().min(1) });
const shortcutBody = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }),
  team: z.object({ domain: z.string().regex(/^[a-z0-9-]+$/i) }).nullable().optional(),
  message_ts: z.string().regex(/^\d+\.\d+$/),
  message: z.object({ text: z.string().optional().default('') }),
});
const actionBody = z.object({
  user: z.object({ id: z.string().min(1) }),
  actions: z.array(z.object({ action_id: z.string(), block_id: z.string(), selected_option: z.object({ value: z.string() }).optional(), value: z.string().optional() })).min(1),
});

export function registerListening(app: App, services: Services, command: (name: string, handle: CommandHandler) => void): void {
  const say = (respond: RespondFn, text: string) => respond({ response_type: 'ephemeral', text });
  // The first answer, while sorting, has no menus: it needs nothing from the database.
  const reply = async (view: FeedbackView, sorting: boolean) => feedbackReply(view, sorting ? { stages: [], categories: [] } : await services.language.vocabulary(), { sorting });

  /** After the person has their answer: classify, file under an issue, and show where it went. */
  async function sortThenShow(logged: FeedbackView, show: (message: ReturnType<typeof feedbackReply>) => Promise<unknown>): Promise<void> {
    const feedbackId = logged.feedback.id;
    try {
      const view = await services.sortFeedback(feedbackId, logged.notes);
      if (view) await show(await reply(view, false));
    } catch (error) {
      services.log('sorting feedback failed', { feedbackId, error: errorDetail(error) });
    }
  }

  // Slack sends `&`, `<` and `>` escaped; feedback is stored as the customer's words ("R&D", not "R&amp;D").
  app.command('/feedback', async ({ ack, body, respond, client }) => {
    const parsed = commandBody.safeParse(body);
    if (!parsed.success) return void (await ack({ response_type: 'ephemeral', text: 'Slack sent me a command I could not read. Please try again.' }));
    const { user_id, channel_id, text, trigger_id } = parsed.data;
    if (!text.trim()) {
      await ack();
      await client.views.open({ trigger_id, view: feedbackModal(await services.language.vocabulary(), channel_id) as never }).catch(async (error) => {
        services.log('could not open the feedback form', { error: String(error) });
        await say(respond, 'I could not open the feedback form. Type it straight in instead: `/feedback what the customer said`.');
      });
      return;
    }
    let logged: Logged;
    try {
      logged = await services.logFeedback({ platform: 'slack', userId: user_id }, { text: unescapeMrkdwn(text) });
    } catch (error) {
      services.log('logging feedback failed', { userId: user_id, error: errorDetail(error) });
      return void (await ack({ response_type: 'ephemeral', text: notStored }));
    }
    if (logged.kind === 'duplicate') {
      const message = duplicateFeedbackReply(logged);
      return void (await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never }));
    }
    if (!logged.ok) return void (await ack({ response_type: 'ephemeral', text: escapeMrkdwn(logged.message) }));
    const first = await reply(logged.view, true);
    await ack({ response_type: 'ephemeral', text: first.text, blocks: first.blocks as never });
    await sortThenShow(logged.view, (message) => respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks as never }));
  });

  app.shortcut('log_feedback', async ({ ack, shortcut, respond }) => {
    const parsed = shortcutBody.safeParse(shortcut);
    if (!parsed.success) {
      await ack();
      return void (await say(respond, 'I can only log a message from a channel or conversation. Nothing was stored.'));
    }
    const { user, channel, team, message_ts, message } = parsed.data;
    // The permalink is built from the payload, not fetched, so storing does not wait on Slack.
    const messageLink = team?.domain ? `https://${team.domain}.slack.com/archives/${channel.id}/p${message_ts.replace('.', '')}` : undefined;
    const input: FeedbackInput = { text: unescapeMrkdwn(message.text), ...(messageLink ? { messageLink } : {}) };
    const logged = await services.logFeedback({ platform: 'slack', userId: user.id }, input).catch((error: unknown): Logged => {
      services.log('logging feedback failed', { userId: user.id, error: errorDetail(error) });
      return { ok: false, kind: 'refused', reason: 'unreadable', message: notStored };
    });
    await ack();
    if (logged.kind === 'duplicate') {
      const message = duplicateFeedbackReply(logged);
      return void (await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never }));
    }
    if (!logged.ok) {
      if (logged.reason === 'empty') return void (await say(respond, 'Nothing was saved: that message has no text to log (only files or attachments). Use `/feedback` and write what the customer said.'));
      return void (await say(respond, escapeMrkdwn(logged.message)));
    }
    const first = await reply(logged.view, true);
    await respond({ response_type: 'ephemeral', text: first.text, blocks: first.blocks as never });
    await sortThenShow(logged.view, (next) => respond({ response_type: 'ephemeral', replace_original: true, text: next.text, blocks: next.blocks as never }));
  });

  app.view(feedbackModalId, async ({ ack, view, body, client }) => {
    const state = feedbackModalState.safeParse(view.state.values);
    const userId = body.user.id;
    if (!state.success) return void (await ack({ response_action: 'errors', errors: { verbatim: 'The form came back incomplete. Please fill it in again.' } }));
    const values = state.data;
    const pick = (field?: { value?: { selected_option?: { value: string } | null } }) => field?.value?.selected_option?.value;
    const input: FeedbackInput = {
      text: values.verbatim.value.value ?? '',
      source: pick(values.source) as FeedbackInput['source'],
      ...(pick(values.stage) ? { stageId: pick(values.stage) } : {}),
      ...(pick(values.category) ? { categoryId: pick(values.category) } : {}),
      ...(pick(values.severity) ? { severity: pick(values.severity) as FeedbackInput['severity'] } : {}),
      ...(values.customer?.[customerSearchAction]?.selected_option?.value ? { customerId: values.customer[customerSearchAction].selected_option.value } : {}),
    };
    let logged: Logged;
    try {
      logged = await services.logFeedback({ platform: 'slack', userId }, input);
    } catch (error) {
      services.log('logging feedback failed', { userId, error: errorDetail(error) });
      return void (await ack({ response_action: 'errors', errors: { verbatim: notStored } }));
    }
    if (logged.kind === 'refused') return void (await ack({ response_action: 'errors', errors: { verbatim: logged.message } }));
    await ack();
    const channelId = z.object({ channelId: z.string() }).safeParse(JSON.parse(view.private_metadata || '{}')).data?.channelId;
    const show = async (message: ReturnType<typeof feedbackReply>) => {
      // Back where /feedback was typed; a direct message when that is not possible (the bot is not in that channel).
      try {
        if (!channelId) throw new Error('no channel');
        await client.chat.postEphemeral({ channel: channelId, user: userId, text: message.text, blocks: message.blocks as never });
      } catch {
        const im = await client.conversations.open({ users: userId });
        await client.chat.postMessage({ channel: im.channel!.id!, text: message.text, blocks: message.blocks as never });
      }
    };
    if (logged.kind === 'duplicate') return void (await show(duplicateFeedbackReply(logged)));
    await sortThenShow(logged.view, show);
  });

  // "Log it again anyway", under "You already logged this as #N": stores the same words once more, as asked.
  app.action('feedback_log_again', async ({ ack, body, respond }) => {
    await ack();
    const parsed = actionBody.safeParse(body);
    let again: z.infer<typeof logAgainValue> | undefined;
    try {
      again = parsed.success ? logAgainValue.parse(JSON.parse(parsed.data.actions[0]!.value ?? '')) : undefined;
    } catch {
      again = undefined;
    }
    if (!parsed.success || !again) return void (await say(respond, 'I could not read that button. Nothing was saved; log it with `/feedback` again.'));
    const logged = await services.logFeedback({ platform: 'slack', userId: parsed.data.user.id }, { ...again, text: '' }).catch((error: unknown): Logged => {
      services.log('logging feedback failed', { userId: parsed.data.user.id, error: errorDetail(error) });
      return { ok: false, kind: 'refused', reason: 'unreadable', message: notStored };
    });
    if (!logged.ok) return void (await say(respond, escapeMrkdwn(logged.message)));
    const first = await reply(logged.view, true);
    await respond({ response_type: 'ephemeral', replace_original: true, text: first.text, blocks: first.blocks as never });
    await sortThenShow(logged.view, (next) => respond({ response_type: 'ephemeral', replace_original: true, text: next.text, blocks: next.blocks as never }));
  });

  app.options(customerSearchAction, async ({ ack, options }) => {
    const query = z.string().max(200).catch('').parse((options as { value?: unknown }).value);
    const customers = query.trim().length >= 2 ? await services.searchCustomers(query) : [];
    await ack({ options: customers.map((customer) => ({ text: { type: 'plain_text', text: `${customer.name} (${customer.segment})`.slice(0, 75) }, value: customer.id })) });
  });

  for (const actionId of ['feedback_stage', 'feedback_category', 'feedback_source'] as const) {
    app.action(actionId, async ({ ack, body, respond }) => {
      await ack();
      const parsed = actionBody.safeParse(body);
      const action = parsed.success ? parsed.data.actions[0]! : undefined;
      const feedbackId = action?.block_id.startsWith('feedback:') ? action.block_id.slice('feedback:'.length) : undefined;
      const value = action?.selected_option?.value;
      if (!parsed.success || !feedbackId || !value) return void (await say(respond, 'I could not read that choice. Nothing was changed.'));
      const field = actionId === 'feedback_stage' ? 'stageId' : actionId === 'feedback_category' ? 'categoryId' : 'source';
      const result = await services.correctFeedback({ platform: 'slack', userId: parsed.data.user.id }, feedbackId, { [field]: value }).catch((error: unknown) => {
        services.log('correcting feedback failed', { feedbackId, error: errorDetail(error) });
        return { ok: false as const, message: 'Something went wrong on our side, so I cannot confirm the change was saved. The feedback itself is still stored; look at `/issues` in a minute before choosing again.' };
      });
      if (!result.ok) return void (await say(respond, escapeMrkdwn(result.message)));
      const message = await reply(result.view, false);
      await respond({ response_type: 'ephemeral', replace_original: true, text: message.text, blocks: message.blocks as never });
    });
  }

  command('/issues', async (person, channelId, text, respond) => {
    const parsed = parseIssuesCommand(text);
    if (!parsed.ok) return void (await say(respond, parsed.message));
    const { command: issues } = parsed;
    switch (issues.kind) {
      case 'help':
        return void (await say(respond, issuesHelp));
      case 'list': {
        const message = openIssuesList(await services.openIssues(40));
        return void (await respond({ response_type: 'ephemeral', text: message.text, blocks: message.blocks as never }));
      }
      case 'merge':
        return void (await say(respond, escapeMrkdwn((await services.mergeIssues(person, issues.from, issues.into)).message)));
      case 'split':
        return void (await say(respond, escapeMrkdwn((await services.splitIssue(person, issues.issue, issues.feedback)).message)));
      case 'announce': {
        const result = await services.setHopeChannel(person, { platform: 'slack', channelId }, issues.on);
        return void (await say(respond, result.ok && result.code === 'subscribed' ? `${result.message}${privateChannelHint}` : result.message));
      }
    }
  });

  app.command('/resolve', async ({ ack, body, respond, client }) => {
    const parsed = commandBody.safeParse(body);
    await ack();
    if (!parsed.success) return void (await say(respond, 'Slack sent me a command I could not read. Please try again.'));
    const person: Person = { platform: 'slack', userId: parsed.data.user_id };
    const command = parseResolveCommand(parsed.data.text);
    if (!command.ok) return void (await say(respond, command.message));
    try {
      if (command.issue === undefined || !command.whatChanged) {
        const choices = await services.resolveChoices(person);
        if (!choices.ok) return void (await say(respond, choices.message));
        await client.views.open({ trigger_id: parsed.data.trigger_id, view: resolveModal(choices.open, command.issue) as never });
        return;
      }
      const result = await services.resolveIssue(person, command.issue, command.whatChanged);
      await say(respond, escapeMrkdwn(result.message));
    } catch (error) {
      services.log('resolve failed', { userId: person.userId, error: errorDetail(error) });
      await say(respond, 'Something went wrong on our side and the issue was not resolved. Please try again in a minute.');
    }
  });

  app.action('issue_resolve', async ({ ack, body, client, respond }) => {
    await ack();
    const parsed = actionBody.extend({ trigger_id: z.string() }).safeParse(body);
    if (!parsed.success) return;
    const person: Person = { platform: 'slack', userId: parsed.data.user.id };
    const choices = await services.resolveChoices(person);
    if (!choices.ok) return void (await say(respond, choices.message));
    await client.views.open({ trigger_id: parsed.data.trigger_id, view: resolveModal(choices.open, Number(parsed.data.actions[0]!.value)) as never });
  });

  app.view(resolveModalId, async ({ ack, view, body, client }) => {
    const state = resolveModalState.safeParse(view.state.values);
    const issue = Number(state.data?.issue.value?.selected_option?.value);
    if (!state.success || !Number.isInteger(issue)) return void (await ack({ response_action: 'errors', errors: { issue: 'Pick the issue that was fixed.' } }));
    const result = await services.resolveIssue({ platform: 'slack', userId: body.user.id }, issue, state.data.what_changed.value.value ?? '').catch((error: unknown) => {
      services.log('resolve failed', { userId: body.user.id, error: errorDetail(error) });
      return { ok: false as const, message: 'Something went wrong on our side and the issue was not resolved. Please press Resolve again in a minute.' };
    });
    if (!result.ok) return void (await ack({ response_action: 'errors', errors: { what_changed: result.message } }));
    await ack();
    const im = await client.conversations.open({ users: body.user.id });
    await client.chat.postMessage({ channel: im.channel!.id!, text: escapeMrkdwn(result.message) });
  });
}
