// `digest preview|subscribe|unsubscribe|now|link|help`: the same capabilities as Slack's
// /digest, answered with Adaptive Cards. Who may do what, and the words of a
// refusal, come from the domain. The story in a digest may come from a model (up to
// OPENAI_TIMEOUT_MS), so the turn answers with a placeholder and the digest replaces it after.
import { z } from 'zod';
import type { Digest } from '../domain/digest.js';
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
    { usage: 'digest preview', what: 'last week’s customer asset digest, here (everyone in the conversation sees it)' },
    { usage: 'digest subscribe', what: `this conversation gets the digest ${scheduleWords} (CCO and leaders)` },
    { usage: 'digest unsubscribe', what: 'this conversation stops getting the digest (CCO and leaders)' },
    { usage: 'digest now', what: 'posts last week’s digest here now (CCO and leaders)' },
    {
      usage: 'digest link',
      what: 'a private link to the digest page for 24 hours, in a personal chat; add a Monday (2026-11-16) for that week (CCO and leaders)',
    },
    { usage: 'help', what: 'this list' },
  ];
}

const refusal = (message: string) => answerCard('Not something I can do for you', [message]);

export function digestCommand(services: Services, scheduleWords: string): CommandHandler {
  async function postDigest(turn: CommandTurn, compose: () => Promise<Digest>) {
    const placeholder = 'Putting last week’s digest together…';
    const placeholderId = await turn.reply(answerCard('The customer asset digest', [placeholder]), placeholder);
    await afterThisTurn(turn, async (conversation) => {
      const show = (card: ReturnType<typeof answerCard>, summary: string) =>
        placeholderId
          ? conversation.update(placeholderId, card, summary)
          : conversation.reply(card, summary).then(() => {});
      try {
        const digest = await compose();
        await show(
          digestToCard(digest, { movementChartUrl: services.movementChartUrl(digest.weekStart) }),
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
      case 'preview':
        return postDigest(turn, services.previewDigest);
      case 'subscribe':
      case 'unsubscribe': {
        const result =
          action.data === 'subscribe'
            ? await services.subscribeDigest(turn.person, channel)
            : await services.unsubscribeDigest(turn.person, channel);
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
        const now = await services.digestNow(turn.person);
        if (!now.ok) return turn.reply(refusal(now.message), now.message);
        return postDigest(turn, now.compose);
      }
    }
  };
}
