// `cco …` in Teams, the counterpart of Slack's /cco: the CCO gives people roles and sets
// the company language (stages, categories, their keywords), and `cco claim` makes the
// first CCO while Teams has none. The same service calls as src/slack/app.ts.
//
// A role is stored under the Entra object id Teams gives for the mentioned member, looked
// up in this conversation (or its team): the id `personFrom` gives that person when they
// speak, so the role applies to them. Someone Teams cannot find here is given no role.
import { parseCcoCommand } from '../typedCommands/cco.js';
import { claimWords } from '../domain/people.js';
import type { TermKind } from '../domain/language.js';
import { answerCard } from '../render/adaptiveCard.js';
import { undeliveredToCard } from '../render/undeliveredNotices.js';
import type { Services } from '../services.js';
import { wordsWithMentions, type CommandHandler } from './turns.js';
import { plainCard } from './listening.js';
import type { HelpEntry } from './router.js';

export const ccoHelp: HelpEntry[] = [
  { usage: 'cco role @person leader', what: 'makes them a leader, or **cco** or **staff** (CCO)' },
  { usage: 'cco claim', what: 'makes you the CCO while Teams has none yet' },
  { usage: 'cco stages', what: 'the journey stages feedback is filed under (**cco categories** for the categories)' },
  {
    usage: 'cco stages Discover, Decide, Start',
    what: 'sets the stages in this order; a name taken out keeps its history (CCO; **cco categories …** likewise)',
  },
  {
    usage: 'cco stages rename Get help to Support',
    what: 'renames a stage, keeping its history (CCO; **cco categories rename …** likewise)',
  },
  { usage: 'cco sources', what: 'where feedback can come from (chat, the feedback API, CSV imports)' },
  {
    usage: 'cco surveys "Onboarding NPS" Start',
    what: "files that survey's answers under the stage where customers receive it (CCO; **cco surveys** lists them, **cco surveys remove …**)",
  },
  {
    usage: 'cco keywords category Billing: invoice, refund',
    what: 'words that file feedback there when no model is available (CCO; **cco keywords stage …** likewise)',
  },
  {
    usage: 'cco lapse Retail 90 days',
    what: "how long a segment's customers may show no sign of life before they count as lapsed (CCO; **cco lapse** lists the windows, 180 days by default)",
  },
  {
    usage: 'cco tiers Bronze 0, Silver 1000, Gold 10000',
    what: 'names value tiers by yearly value, so the digest counts customers who moved up or down a tier (CCO; **cco tiers** lists them)',
  },
  { usage: 'cco undelivered', what: 'messages the bot gave up delivering: what, to whom, why and when (CCO)' },
];

const termTitles: Record<TermKind, string> = { stage: 'Journey stages', category: 'Categories' };

export function createCco(services: Services) {
  const cco: CommandHandler = async (turn) => {
    const mentions = turn.mentions ?? [];
    const { text, words } = wordsWithMentions(
      turn,
      mentions.map((mention) => mention.id),
    );
    const parsed = parseCcoCommand(text, words);
    if (!parsed.ok) return turn.reply(plainCard('I did not follow that', parsed.message), 'I did not follow that');
    const command = parsed.command;
    switch (command.kind) {
      case 'help':
        return turn.reply(
          answerCard(
            'Roles and the company language',
            ccoHelp.map((entry) => `**${entry.usage}**: ${entry.what}`),
          ),
          'Roles and the company language',
        );
      case 'undelivered': {
        const result = await services.undeliveredNotices(turn.person);
        if (!result.ok) return turn.reply(plainCard('Only for the CCO', result.message), result.message);
        return turn.reply(undeliveredToCard(result.notices, result.total), 'Undelivered notices');
      }
      case 'claim': {
        const claim = await services.people.claimFirstCco(turn.person);
        // A Teams holder is named as Teams knows them here; the card shows it as plain text, never a mention.
        const member =
          claim.kind === 'alreadyHeld' && claim.holder.platform === 'teams'
            ? await turn.lookUpMember(claim.holder.userId).catch(() => undefined)
            : undefined;
        const words = claimWords(claim);
        const message = words.message(
          member?.name ??
            (claim.kind === 'alreadyHeld' && claim.holder.platform === 'teams' ? 'Someone in your organisation' : null),
        );
        return turn.reply(plainCard(words.title, message), message);
      }
      case 'role': {
        const member = await turn.lookUpMember(command.userId);
        const name = member?.name ?? mentions.find((mention) => mention.id === command.userId)?.name ?? 'That person';
        if (!member) {
          const message = `I could not find ${name} in this conversation, so no role was changed. Mention them in a chat or team channel they are in.`;
          return turn.reply(plainCard('No role was changed', message), 'No role was changed');
        }
        const result = await services.people.grant(
          turn.person,
          { platform: 'teams', userId: member.userId },
          command.role,
        );
        if (!result.ok) return turn.reply(plainCard('No role was changed', result.message), result.message);
        const message = `${name} is now ${result.roleWords}.`;
        return turn.reply(plainCard('Role changed', message), message);
      }
      case 'sources':
      case 'surveys': {
        const result = await services.language.answer(turn.person, command);
        const title = command.kind === 'sources' ? 'Feedback sources' : result.ok ? 'Surveys' : 'Nothing was changed';
        return turn.reply(plainCard(title, result.message), result.message);
      }
      case 'lapse':
      case 'tiers': {
        const result = await services.customerLife.answer(turn.person, command, '');
        const title =
          command.action === 'list'
            ? command.kind === 'lapse'
              ? 'Lapsed customers'
              : 'Value tiers'
            : result.ok
              ? 'Customer asset settings changed'
              : 'Nothing was changed';
        return turn.reply(plainCard(title, result.message), result.message);
      }
      case 'terms': {
        const language = services.language;
        if (command.action === 'list')
          return turn.reply(
            plainCard(termTitles[command.terms], await language.listWords(command.terms)),
            termTitles[command.terms],
          );
        const result =
          command.action === 'replace'
            ? await language.replace(turn.person, command.terms, command.names)
            : command.action === 'rename'
              ? await language.rename(turn.person, command.terms, command.from, command.to)
              : await language.setKeywords(turn.person, command.terms, command.name, command.keywords);
        return turn.reply(
          plainCard(result.ok ? 'Company language changed' : 'Nothing was changed', result.message),
          result.message,
        );
      }
    }
  };

  return { commands: { cco } satisfies Record<string, CommandHandler>, help: ccoHelp };
}
