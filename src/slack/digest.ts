// `/digest`: a private preview, subscribing this channel, posting now, and a private link to
// the page, each for last week or the period typed after it.
import type { KnownBlock } from '@slack/types';
import type { DigestPoster } from '../domain/delivery.js';
import { digestToSlack } from '../render/digestSlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { digestHelp, parseDigestCommand, privateChannelHint } from './slashCommands.js';
import { withImages, type SlackChartFiles } from './chartFiles.js';
import { joinIfPublic, slackErrorCode } from './digestPoster.js';
import type { CommandEntry, SlackFeature } from './handlers.js';

export type DigestServices = Pick<
  Services,
  'previewDigest' | 'subscribeDigest' | 'unsubscribeDigest' | 'digestNow' | 'digestLink'
>;

export function createDigest(
  services: DigestServices,
  poster: Pick<DigestPoster, 'postDigest'>,
  charts?: SlackChartFiles,
): SlackFeature {
  const digest: CommandEntry = {
    async handle({ person, channelId, text, client, answer }) {
      const parsed = parseDigestCommand(text);
      if (!parsed.ok) return answer(parsed.message);
      const channel = { platform: 'slack' as const, channelId };
      switch (parsed.action) {
        case 'help':
          return answer(digestHelp);
        case 'preview': {
          const preview = await services.previewDigest(parsed.argument, 'slack');
          if (!preview.ok) return answer(preview.message);
          const digest = await preview.compose();
          const [main, ...replies] = digestToSlack(digest);
          await withImages(
            charts,
            () => charts!.digestImages(digest),
            (images) => answer(digestToSlack(digest, images)[0] ?? main!),
          );
          for (const message of replies) await answer(message);
          return;
        }
        case 'subscribe': {
          const join = () => joinIfPublic(client, channelId);
          const result = parsed.argument
            ? await services.subscribeDigest(person, channel, join, parsed.argument)
            : await services.subscribeDigest(person, channel, join);
          if (!result.ok) return answer(result.message);
          return answer(result.code === 'subscribed' ? `${result.message}${privateChannelHint}` : result.message);
        }
        case 'unsubscribe':
          return answer((await services.unsubscribeDigest(person, channel, parsed.argument)).message);
        case 'link': {
          const link = await services.digestLink(person, parsed.argument, 'onlyThem');
          if (!link.ok) return answer(escapeMrkdwn(link.message));
          // A rich-text link element: a URL with `&` in a mrkdwn <url|text> link breaks in some Slack clients.
          const blocks: KnownBlock[] = [
            { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(link.message) } },
            {
              type: 'rich_text',
              elements: [
                { type: 'rich_text_section', elements: [{ type: 'link', url: link.url, text: 'Open the digest' }] },
              ],
            },
          ];
          return answer({ text: `${escapeMrkdwn(link.message)} ${escapeMrkdwn(link.url)}`, blocks });
        }
        case 'now': {
          const now = await services.digestNow(person, parsed.argument);
          if (!now.ok) return answer(now.message);
          const digest = await now.compose();
          try {
            await poster.postDigest(channelId, digest, { mayAlreadyBePosted: false });
          } catch (error) {
            const code = slackErrorCode(error);
            if (code === 'not_in_channel' || code === 'channel_not_found')
              return answer(
                'I cannot post in this channel yet. Invite me with `/invite @customer-growth` and try again.',
              );
            throw error;
          }
          return;
        }
      }
    },
  };
  return { commands: { '/digest': digest } };
}
