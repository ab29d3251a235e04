// Early warnings in Slack: `/warnings` (the moments and how each stands), `/warnings
// subscribe|unsubscribe` (this channel hears them), and the warning post's Acknowledge and
// "Open the issues" buttons. The service decides and words everything; this only translates.
import { z } from 'zod';
import { openIssuesList } from '../render/feedbackSlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import { warningAcknowledgeAction, warningIssuesAction, warningToSlack } from '../render/warningSlack.js';
import type { Services } from '../services.js';
import { parseWarningsCommand, warningsHelp } from '../typedCommands/warnings.js';
import { action, type CommandEntry, type SlackFeature } from './handlers.js';
import { privateChannelHint } from './slashCommands.js';

export type WarningsServices = Pick<Services, 'warningCommands' | 'settings' | 'log'>;

/** A button on the warning post carries the warning's id as its value. */
const warningButton = z.object({ actions: z.array(z.object({ value: z.string().min(1).max(100) })).min(1) });
/** Acknowledge also needs the post it was pressed on, to redraw it, and the presser's name as Slack gives it. */
const acknowledgeButton = warningButton.extend({
  user: z.object({ name: z.string().max(200).optional(), username: z.string().max(200).optional() }),
  container: z.object({ channel_id: z.string().min(1), message_ts: z.string().min(1) }),
});

export function createWarnings(services: WarningsServices): SlackFeature {
  const commands = services.warningCommands;
  const warnings: CommandEntry = {
    async handle({ person, channelId, text, answer }) {
      const parsed = parseWarningsCommand(text);
      if (!parsed.ok) return answer(escapeMrkdwn(parsed.message));
      const { command } = parsed;
      switch (command.kind) {
        case 'help':
          return answer(warningsHelp);
        case 'moments':
          return answer(escapeMrkdwn((await commands.moments()).message));
        case 'subscribe': {
          const result = await commands.subscribe(person, { platform: 'slack', channelId }, command.on);
          return answer(
            result.ok && result.result === 'subscribed' ? `${result.message}${privateChannelHint}` : result.message,
          );
        }
      }
    },
  };

  const acknowledge = action({
    payload: acknowledgeButton,
    unreadable: 'Slack sent me a button I could not read. Nothing was recorded.',
    failed:
      'Something went wrong on our side and the acknowledgement may not have been recorded. Please press Acknowledge again in a minute.',
    async handle({ person, payload, client, answer }) {
      const name = payload.user.name ?? payload.user.username;
      const result = await commands.acknowledge(person, payload.actions[0]!.value, name);
      if (!('warning' in result)) return answer(escapeMrkdwn(result.message));
      // The post itself says who has it in hand, for everyone in the channel; chat.update works however late the press.
      const message = warningToSlack(result.warning.content, services.settings, result.warning.acknowledgement);
      const updated = await client.chat
        .update({
          channel: payload.container.channel_id,
          ts: payload.container.message_ts,
          text: message.text,
          blocks: message.blocks,
        })
        .then(
          () => true,
          (error: unknown) => {
            services.log('could not update the warning post', { error: String(error) });
            return false;
          },
        );
      if (!result.ok) return answer(escapeMrkdwn(result.message));
      if (!updated)
        return answer(
          'Acknowledged: the warning records that you have it in hand. I could not update the post itself, so its button stays.',
        );
    },
  });

  const openIssues = action({
    payload: warningButton,
    unreadable: 'Slack sent me a button I could not read.',
    async handle({ payload, answer }) {
      const result = await commands.issues(payload.actions[0]!.value);
      const words = escapeMrkdwn(result.message);
      if (!result.ok || !result.issues.length) return answer(words);
      // The list's own heading gives way to the warning's words; its Resolve buttons stay.
      const list = openIssuesList(result.issues);
      await answer({
        text: words,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: words } }, ...list.blocks.slice(1)],
      });
    },
  });

  return {
    commands: { '/warnings': warnings },
    actions: { [warningAcknowledgeAction]: acknowledge, [warningIssuesAction]: openIssues },
  };
}
