// `warnings …` in Teams, the counterpart of Slack's /warnings: the moments and how each
// stands, subscribing this conversation, and the warning card's Acknowledge and "Open the
// issues" actions. The service decides and words everything; this only translates.
import { z } from 'zod';
import { answerCard } from '../render/adaptiveCard.js';
import { cardUserText } from '../render/cardText.js';
import { warningAcknowledgeSubmit, warningIssuesSubmit, warningToCard } from '../render/warningCard.js';
import type { Services } from '../services.js';
import { parseWarningsCommand } from '../typedCommands/warnings.js';
import { plainCard } from './listening.js';
import type { HelpEntry } from './router.js';
import type { CommandHandler, SubmitHandler } from './turns.js';

export const warningsHelp: HelpEntry[] = [
  { usage: 'warnings', what: 'the moments that matter and how each stands (**warnings moments** too)' },
  {
    usage: 'warnings subscribe',
    what: 'this conversation gets early warnings; **warnings unsubscribe** stops them (CCO and leaders)',
  },
];

const warningOf = z.object({ warningId: z.string().min(1).max(100) });
const titles = {
  subscribed: 'Subscribed to early warnings',
  alreadySubscribed: 'Already subscribed',
  unsubscribed: 'Unsubscribed from early warnings',
  notSubscribed: 'Not subscribed',
} as const;

export function createWarnings(services: Pick<Services, 'warningCommands' | 'settings' | 'log'>) {
  const commands = services.warningCommands;
  const warnings: CommandHandler = async (turn) => {
    const parsed = parseWarningsCommand(turn.args.join(' '), '');
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    const { command } = parsed;
    switch (command.kind) {
      case 'help':
        return turn.reply(
          answerCard(
            'Early warnings',
            warningsHelp.map((entry) => `**${entry.usage}**: ${entry.what}`),
          ),
          'Early warnings',
        );
      case 'moments': {
        const result = await commands.moments();
        return turn.reply(
          answerCard(
            'Moments that matter',
            result.message.split('\n').map((line) => cardUserText(line, 500)),
          ),
          'Moments that matter',
        );
      }
      case 'subscribe': {
        const result = await commands.subscribe(
          turn.person,
          { platform: 'teams', channelId: turn.conversation.id },
          command.on,
        );
        if (!result.ok) return turn.reply(plainCard('Not something I can do for you', result.message), result.message);
        return turn.reply(plainCard(titles[result.result], result.message), result.message);
      }
    }
  };

  const acknowledge: SubmitHandler = async (turn) => {
    const parsed = warningOf.safeParse(turn.value);
    if (!parsed.success)
      return turn.reply(
        plainCard('Nothing was recorded', 'I could not tell which warning that was, so nothing was recorded.'),
        'Nothing was recorded',
      );
    const result = await commands.acknowledge(turn.person, parsed.data.warningId, turn.personName);
    if ('warning' in result && turn.replyToId) {
      // The card itself says who has it in hand, for everyone in the conversation.
      const message = warningToCard(result.warning.content, services.settings, result.warning.acknowledgement);
      const updated = await turn.update(turn.replyToId, message.card, message.summary).then(
        () => true,
        (error: unknown) => {
          services.log('could not update the warning card', { error: String(error) });
          return false;
        },
      );
      if (updated && result.ok) return;
    }
    return turn.reply(
      plainCard(result.ok ? 'Acknowledged' : 'Nothing more was recorded', result.message),
      result.message,
    );
  };

  const openIssues: SubmitHandler = async (turn) => {
    const parsed = warningOf.safeParse(turn.value);
    if (!parsed.success)
      return turn.reply(plainCard('Which warning?', 'I could not tell which warning that was.'), 'Which warning?');
    const result = await commands.issues(parsed.data.warningId);
    const lines = result.ok
      ? result.issues.map(
          (issue) =>
            `**#${issue.number}** ${cardUserText(issue.title, 200)} · ${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}`,
        )
      : [];
    return turn.reply(answerCard('Open issues', [cardUserText(result.message, 500), ...lines]), result.message);
  };

  return {
    commands: { warnings } satisfies Record<string, CommandHandler>,
    submits: { [warningAcknowledgeSubmit]: acknowledge, [warningIssuesSubmit]: openIssues } satisfies Record<
      string,
      SubmitHandler
    >,
    help: warningsHelp,
  };
}
