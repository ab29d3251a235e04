// `digest preview|subscribe|unsubscribe|now|link|help`, each with an optional period
// (`digest preview 2026-Q3`) or cadence (`digest subscribe monthly`): the same capabilities
// as Slack's /digest, answered with Adaptive Cards. Who may do what, and the words of a
// refusal, come from the domain. The story in a digest may come from a model (up to
// OPENAI_TIMEOUT_MS), so the turn answers with a placeholder and the digest replaces it after.
import { z } from 'zod';
import type { Digest } from '../domain/digest.js';
import type { Period } from '../domain/periods.js';
import { errorDetail } from '../domain/errorDetail.js';
import { answerCard } from '../render/adaptiveCard.js';
import { digestSummary, digestToCard } from '../render/digestCard.js';
import { cardUserText, escapeCardMarkdown } from '../render/cardText.js';
import type { Services } from '../services.js';
import { sorry, sorryCard } from './adapter.js';
import { afterThisTurn, type CommandHandler, type CommandTurn } from './turns.js';
import type { HelpEntry } from './router.js';

const digestActions = z.enum(['preview', 'subscribe', 'unsubscribe', 'now', 'link', 'help']);

export function digestHelp(scheduleWords: string): HelpEntry[] {
  return [
    {
      usage: 'digest preview',
      what: 'last week’s customer asset digest, here (everyone in the conversation sees it); add month, quarter, year, 2026-10, 2026-Q3 or 2026 for that period',
    },
    {
      usage: 'digest subscribe',
      what: `this conversation gets the digest ${scheduleWords}; add monthly, quarterly or yearly for that story on the first Monday after each one ends (CCO and leaders)`,
    },
    { usage: 'digest unsubscribe', what: 'this conversation stops getting the digest (CCO and leaders)' },
    { usage: 'digest now', what: 'posts last week’s digest (or the period named) here now (CCO and leaders)' },
    {
      usage: 'digest link',
      what: 'a private link to the digest page for 24 hours, in a personal chat; add a Monday (2026-11-16) for that week (CCO and leaders)',
    },
    { usage: 'help', what: 'this list' },
  ];
}

const refusal = (message: string) => answerCard('Not something I can do for you', [message]);

export function digestCommand(services: Services, scheduleWords: string): CommandHandler {
  async function postDigest(turn: CommandTurn, compose: () => Promise<Digest>, period: Period, title: string) {
    const placeholder =
      period.kind === 'week' ? 'Putting last week’s digest together…' : `Putting the digest of ${title} together…`;
    const placeholderId = await turn.reply(answerCard('The customer asset digest', [placeholder]), placeholder);
    await afterThisTurn(turn, async (conversation) => {
      const show = (card: ReturnType<typeof answerCard>, summary: string) =>
        placeholderId
          ? conversation.update(placeholderId, card, summary)
          : conversation.reply(card, summary).then(() => {});
      try {
        const digest = await compose();
        await show(
          digestToCard(digest, { movementChartUrl: services.movementChartUrl(digest.period) }),
          digestSummary(digest),
        );
      } catch (error) {
        services.log('teams: the digest could not be composed', { error: errorDetail(error) });
        await show(sorryCard(), sorry);
      }
    });
  }

  return async (turn) => {
    const word = turn.args[0]?.toLowerCase() ?? 'preview';
    const action = digestActions.safeParse(word);
    if (!action.success) {
      const lines = digestHelp(scheduleWords).map((entry) => `**${entry.usage}**: ${entry.what}`);
      return turn.reply(
        answerCard(`I don't know “digest ${cardUserText(word, 40)}”.`, lines),
        "I don't know that command",
      );
    }
    const channel = { platform: 'teams' as const, channelId: turn.conversation.id };
    const titles = {
      subscribed: 'Subscribed',
      alreadySubscribed: 'Already subscribed',
      unsubscribed: 'Unsubscribed',
      notSubscribed: 'Not subscribed',
    } as const;
    switch (action.data) {
      case 'help':
        return turn.reply(
          answerCard(
            'The customer asset digest',
            digestHelp(scheduleWords).map((entry) => `**${entry.usage}**: ${entry.what}`),
          ),
          'The customer asset digest',
        );
      case 'preview': {
        const preview = await services.previewDigest(turn.args[1], 'teams');
        if (!preview.ok) return turn.reply(refusal(escapeCardMarkdown(preview.message)), preview.message);
        return postDigest(turn, preview.compose, preview.period, preview.title);
      }
      case 'subscribe':
      case 'unsubscribe': {
        const result =
          action.data === 'subscribe'
            ? await services.subscribeDigest(turn.person, channel, undefined, turn.args[1])
            : await services.unsubscribeDigest(turn.person, channel, turn.args[1]);
        if (!result.ok) return turn.reply(refusal(result.message), result.message);
        return turn.reply(answerCard(titles[result.code], [result.message]), result.message);
      }
      case 'link': {
        // Anything said in a channel or group chat is seen by everyone in it.
        const answer = await services.digestLink(
          turn.person,
          turn.args[1],
          turn.conversation.kind === 'personal' ? 'onlyThem' : 'conversation',
        );
        if (!answer.ok) return turn.reply(refusal(escapeCardMarkdown(answer.message)), answer.message);
        return turn.reply(
          answerCard('Your private link to the digest', [
            escapeCardMarkdown(answer.message),
            `[Open the digest](${answer.url.replace(/\(/g, '%28').replace(/\)/g, '%29')})`,
          ]),
          'Your private link to the digest',
        );
      }
      case 'now': {
        const now = await services.digestNow(turn.person, turn.args[1]);
        if (!now.ok) return turn.reply(refusal(escapeCardMarkdown(now.message)), now.message);
        return postDigest(turn, now.compose, now.period, now.title);
      }
    }
  };
}
