// Issues in Slack: /issues (the list, merging, splitting, announcing fixes in a channel),
// /resolve, the list's "Resolve…" buttons and the resolve form.
import { z } from 'zod';
import { issuesHelp, parseIssuesCommand, parseResolveCommand } from '../typedCommands/issues.js';
import { openIssuesList } from '../render/feedbackSlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { privateChannelHint } from './slashCommands.js';
import { action, view, type CommandEntry, type SlackFeature } from './handlers.js';
import { resolveFormSubmission, resolveModal, resolveModalId } from './resolveForm.js';

export type IssuesServices = Pick<
  Services,
  'resolveChoices' | 'openIssues' | 'mergeIssues' | 'splitIssue' | 'setHopeChannel' | 'resolveIssue'
>;

const resolveButton = z.object({
  trigger_id: z.string(),
  actions: z.array(z.object({ value: z.string().optional() })).min(1),
});

export function createIssues(services: IssuesServices): SlackFeature {
  const issues: CommandEntry = {
    async handle({ person, channelId, text, answer }) {
      const parsed = parseIssuesCommand(text);
      if (!parsed.ok) return answer(parsed.message);
      const { command } = parsed;
      switch (command.kind) {
        case 'help':
          return answer(issuesHelp);
        case 'list':
          return answer(openIssuesList(await services.openIssues(40)));
        case 'merge':
          return answer(escapeMrkdwn((await services.mergeIssues(person, command.from, command.into)).message));
        case 'split':
          return answer(escapeMrkdwn((await services.splitIssue(person, command.issue, command.feedback)).message));
        case 'announce': {
          const result = await services.setHopeChannel(person, { platform: 'slack', channelId }, command.on);
          return answer(
            result.ok && result.code === 'subscribed' ? `${result.message}${privateChannelHint}` : result.message,
          );
        }
      }
    },
  };

  const resolve: CommandEntry = {
    failed: 'Something went wrong on our side and the issue was not resolved. Please try again in a minute.',
    async handle({ person, text, triggerId, client, answer }) {
      const command = parseResolveCommand(text);
      if (!command.ok) return answer(command.message);
      if (command.issue === undefined || !command.whatChanged) {
        const choices = await services.resolveChoices(person);
        if (!choices.ok) return answer(choices.message);
        await client.views.open({ trigger_id: triggerId, view: resolveModal(choices.open, command.issue) });
        return;
      }
      const result = await services.resolveIssue(person, command.issue, command.whatChanged);
      await answer(escapeMrkdwn(result.message));
    },
  };

  const resolveFromList = action({
    payload: resolveButton,
    async handle({ person, payload, client, answer }) {
      const choices = await services.resolveChoices(person);
      if (!choices.ok) return answer(choices.message);
      await client.views.open({
        trigger_id: payload.trigger_id,
        view: resolveModal(choices.open, Number(payload.actions[0]!.value)),
      });
    },
  });

  const form = view({
    state: resolveFormSubmission,
    incomplete: { field: 'issue', message: 'Pick the issue that was fixed.' },
    failed: {
      field: 'what_changed',
      message:
        'Something went wrong on our side and the issue was not resolved. Please press Resolve again in a minute.',
    },
    async handle({ person, client, values, refuse, accept }) {
      if (!Number.isInteger(values.issue)) return refuse({ issue: 'Pick the issue that was fixed.' });
      const result = await services.resolveIssue(person, values.issue, values.whatChanged);
      if (!result.ok) return refuse({ what_changed: result.message });
      await accept();
      const im = await client.conversations.open({ users: person.userId });
      await client.chat.postMessage({ channel: im.channel!.id!, text: escapeMrkdwn(result.message) });
    },
  });

  return {
    commands: { '/issues': issues, '/resolve': resolve },
    actions: { issue_resolve: resolveFromList },
    views: { [resolveModalId]: form },
  };
}
