// `/cco`: roles, the company language (stages, categories, keywords, sources, surveys),
// claiming the first CCO, and what the outbox gave up delivering.
import { ccoHelp, parseCcoCommand } from '../typedCommands/cco.js';
import { claimWords } from '../domain/people.js';
import { undeliveredToSlack } from '../render/undeliveredNotices.js';
import { escapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import type { CommandEntry, SlackFeature } from './handlers.js';

export type CcoServices = Pick<Services, 'people' | 'language' | 'undeliveredNotices' | 'customerLife'>;

/** Only a Slack user id becomes a mention; anything else is never written into mrkdwn. */
const slackUserId = /^[UW][A-Z0-9]{1,30}$/;

export function createCco(services: CcoServices): SlackFeature {
  const cco: CommandEntry = {
    async handle({ person, text, answer }) {
      const parsed = parseCcoCommand(text);
      if (!parsed.ok) return answer(parsed.message);
      const { command } = parsed;
      switch (command.kind) {
        case 'help':
          return answer(ccoHelp);
        case 'claim': {
          const claim = await services.people.claimFirstCco(person);
          const holder =
            claim.kind === 'alreadyHeld' && claim.holder.platform === 'slack' && slackUserId.test(claim.holder.userId)
              ? `<@${claim.holder.userId}>`
              : null;
          return answer(claimWords(claim).message(holder));
        }
        case 'undelivered': {
          const result = await services.undeliveredNotices(person);
          return answer(result.ok ? undeliveredToSlack(result.notices, result.total) : result.message);
        }
        case 'terms': {
          const language = services.language;
          if (command.action === 'list') return answer(escapeMrkdwn(await language.listWords(command.terms)));
          const result =
            command.action === 'replace'
              ? await language.replace(person, command.terms, command.names)
              : command.action === 'rename'
                ? await language.rename(person, command.terms, command.from, command.to)
                : await language.setKeywords(person, command.terms, command.name, command.keywords);
          return answer(escapeMrkdwn(result.message));
        }
        case 'sources':
        case 'surveys':
          return answer(escapeMrkdwn((await services.language.answer(person, command)).message));
        case 'lapse':
        case 'tiers':
          return answer(escapeMrkdwn((await services.customerLife.answer(person, command, '/')).message));
        case 'role': {
          const result = await services.people.grant(
            person,
            { platform: 'slack', userId: command.userId },
            command.role,
          );
          return answer(result.ok ? `<@${command.userId}> is now ${result.roleWords}.` : result.message);
        }
      }
    },
  };
  return { commands: { '/cco': cco } };
}
