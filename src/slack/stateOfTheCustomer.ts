// `/state-of-the-customer [2026 | 2026-Q3 | year | quarter]`: posts the summary in the channel,
// then answers only the person with private links to the full report, as a page and a PDF.
import type { KnownBlock } from '@slack/types';
import { hasMovement } from '../domain/movementHistory.js';
import { movementChartBlocks } from '../render/digestSlack.js';
import { stateOfTheCustomerOutline } from '../render/stateOfTheCustomerOutline.js';
import { stateOfTheCustomerSummaryToSlack } from '../render/stateOfTheCustomerSlack.js';
import { escapeMrkdwn } from '../render/slackText.js';
import type { Services } from '../services.js';
import { honouringRateLimits, slackErrorCode } from './digestPoster.js';
import { withImages, type SlackChartFiles } from './chartFiles.js';
import type { CommandEntry, SlackFeature } from './handlers.js';

export type StateOfTheCustomerServices = Pick<Services, 'stateOfTheCustomer' | 'stateOfTheCustomerChart' | 'clock'>;

export function createStateOfTheCustomer(services: StateOfTheCustomerServices, charts?: SlackChartFiles): SlackFeature {
  const command: CommandEntry = {
    failed:
      'Sorry, something went wrong on our side while putting the State of the Customer together. Nothing was posted, or only the summary was: please try again.',
    async handle({ person, channelId, text, client, answer }) {
      const result = await services.stateOfTheCustomer(person, text, 'onlyThem');
      if (!result.ok) return answer(escapeMrkdwn(result.message));
      const outline = stateOfTheCustomerOutline(result.report, services.clock(), false);
      const history = await services.stateOfTheCustomerChart(result.report.period);
      try {
        await withImages(
          charts,
          async () => {
            const movementChart = hasMovement(history) ? await charts!.movementChart(history) : undefined;
            return movementChart ? { movementChart } : {};
          },
          (images) => {
            // No movement in the months charted: no empty chart, and no words about one either.
            const chart = hasMovement(history) ? movementChartBlocks(history, images.movementChart) : [];
            const summary = stateOfTheCustomerSummaryToSlack(outline, chart);
            return honouringRateLimits(() =>
              client.chat.postMessage({
                channel: channelId,
                text: summary.text,
                blocks: summary.blocks,
                unfurl_links: false,
                unfurl_media: false,
              }),
            );
          },
        );
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'not_in_channel' || code === 'channel_not_found')
          return answer(
            'I cannot post in this channel yet, so nothing was posted. Invite me with `/invite @customer-growth` and try again.',
          );
        throw error;
      }
      if (!result.links) return answer(escapeMrkdwn(result.linkMessage));
      // Rich-text link elements: a URL with `&` in a mrkdwn <url|text> link breaks in some Slack clients.
      const blocks: KnownBlock[] = [
        { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(result.linkMessage) } },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'link', url: result.links.page, text: 'Open the full report' },
                { type: 'text', text: '  ·  ' },
                { type: 'link', url: result.links.pdf, text: 'Download the PDF' },
              ],
            },
          ],
        },
      ];
      return answer({
        text: `${escapeMrkdwn(result.linkMessage)} ${escapeMrkdwn(result.links.page)} ${escapeMrkdwn(result.links.pdf)}`,
        blocks,
      });
    },
  };
  return { commands: { '/state-of-the-customer': command } };
}
