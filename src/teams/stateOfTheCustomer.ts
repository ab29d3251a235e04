// `state-of-the-customer [2026 | 2026-Q3 | year | quarter]` in Teams: the summary card in this
// conversation; in a personal chat it also carries the private links to the full page and PDF
// (in a channel everyone would see them, so the card says where to ask instead).
import { hasMovement } from '../domain/movementHistory.js';
import { periodOf } from '../domain/periods.js';
import { escapeCardMarkdown } from '../render/cardText.js';
import { movementChartElements } from '../render/digestCard.js';
import { stateOfTheCustomerCard } from '../render/stateOfTheCustomerCard.js';
import { stateOfTheCustomerOutline } from '../render/stateOfTheCustomerOutline.js';
import type { Services } from '../services.js';
import { plainCard } from './listening.js';
import type { HelpEntry } from './router.js';
import { afterThisTurn, type CommandHandler } from './turns.js';

export const stateOfTheCustomerHelp: HelpEntry[] = [
  {
    usage: 'state-of-the-customer 2026',
    what: 'the State of the Customer for a year or quarter (**2026-Q3**, **year**, **quarter**), here; in a personal chat with private links to its page and PDF (CCO and leaders)',
  },
];

/** A URL in a Markdown link: parentheses would end it early. */
const linkTarget = (url: string) => url.replace(/\(/g, '%28').replace(/\)/g, '%29');

export function createStateOfTheCustomer(
  services: Pick<Services, 'stateOfTheCustomer' | 'stateOfTheCustomerChart' | 'movementChartUrl' | 'clock'>,
) {
  const command: CommandHandler = (turn) =>
    // A year's report takes a moment to add up; Teams is answered first.
    afterThisTurn(turn, async (conversation) => {
      const result = await services.stateOfTheCustomer(
        turn.person,
        turn.args.join(' '),
        turn.conversation.kind === 'personal' ? 'onlyThem' : 'conversation',
      );
      if (!result.ok)
        return void (await conversation.reply(
          plainCard('Not something I can do for you', result.message),
          result.message,
        ));
      const outline = stateOfTheCustomerOutline(result.report, services.clock(), false);
      const links = result.links && { page: linkTarget(result.links.page), pdf: linkTarget(result.links.pdf) };
      const history = await services.stateOfTheCustomerChart(result.report.period);
      const lastMonth = history.series[0]?.points.at(-1)?.periodStart;
      // The chart's own link draws the same 13 months: the months up to the report's last one. A
      // channel gets no private link, so there the card carries the chart's words alone.
      const chartUrl = result.links && lastMonth ? services.movementChartUrl(periodOf('month', lastMonth)) : undefined;
      const chart = hasMovement(history) ? movementChartElements(history, chartUrl) : [];
      const card = stateOfTheCustomerCard(outline, links, chart);
      card.body.push({ type: 'TextBlock', wrap: true, isSubtle: true, text: escapeCardMarkdown(result.linkMessage) });
      await conversation.reply(card, outline.title);
    });
  return { commands: { 'state-of-the-customer': command }, help: stateOfTheCustomerHelp };
}
