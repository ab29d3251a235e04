// GET /state-of-the-customer?period=2026 (the full report as a page, in the digest page's look)
// and /state-of-the-customer.pdf?period=2026 (the same as a PDF). Private exactly as the digest
// page is: once a platform is connected, only a signed link or PREVIEW_TOKEN opens them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hasMovement } from '../domain/movementHistory.js';
import { renderBlockKitPage } from '../render/blockKitHtml.js';
import { movementChartBlocks } from '../render/digestSlack.js';
import { pngDataUri, renderMovementChart } from '../render/movementChart.js';
import { movementChartLines, movementChartTitle } from '../render/movementWords.js';
import { stateOfTheCustomerOutline } from '../render/stateOfTheCustomerOutline.js';
import { stateOfTheCustomerPdf } from '../render/stateOfTheCustomerPdf.js';
import { stateOfTheCustomerToSlack } from '../render/stateOfTheCustomerSlack.js';
import type { Services } from '../services.js';
import { checkDigestAccess, privateHeaders, refuseDigestPage, type DigestAccess } from './digestAccess.js';
import { sendHtml } from './respond.js';

export type StateOfTheCustomerPages = Pick<
  Services,
  'stateOfTheCustomerPeriod' | 'stateOfTheCustomerFor' | 'stateOfTheCustomerChart' | 'clock'
>;

const refusedWords = {
  title: 'The State of the Customer is private',
  howToGetALink:
    'If you are the CCO or a leader, type `/state-of-the-customer 2026` in Slack (or a quarter, such as `2026-Q3`), or `state-of-the-customer 2026` to the bot in a personal chat in Teams. The bot answers only you with links to the page and the PDF that work for 24 hours.',
};

const privateNote =
  'The State of the Customer. This page is private: please do not forward its link. Links to it and to its PDF work for 24 hours.';
const openNote =
  'Local preview: no Slack workspace or Teams is connected, so this report is open to anyone who can reach the bot.';

export async function stateOfTheCustomerPage(
  request: IncomingMessage,
  response: ServerResponse,
  services: StateOfTheCustomerPages,
  access: DigestAccess | undefined,
  as: 'page' | 'pdf',
): Promise<void> {
  if (access) {
    const verdict = checkDigestAccess(request, access);
    if (!verdict.allowed) return refuseDigestPage(response, verdict.reason, refusedWords);
  }
  const headers = access ? privateHeaders : {};
  const typed = new URL(request.url ?? '/', 'http://localhost').searchParams.get('period') ?? 'year';
  const period = services.stateOfTheCustomerPeriod(typed);
  if (!period || period.kind === 'week')
    return sendHtml(
      response,
      400,
      renderBlockKitPage({
        title: 'Not a period',
        messages: [],
        note: `"${typed.slice(0, 40)}" is not a year, quarter or month. Try ?period=2026 or ?period=2026-Q3.`,
      }),
      headers,
    );
  const [report, history] = await Promise.all([
    services.stateOfTheCustomerFor(period),
    services.stateOfTheCustomerChart(period),
  ]);
  const now = services.clock();
  const outline = stateOfTheCustomerOutline(report, now, true);
  // No customer moved in the months charted: an empty chart would say nothing, so there is none.
  const png = hasMovement(history) ? await renderMovementChart(history) : undefined;
  if (as === 'page')
    return sendHtml(
      response,
      200,
      renderBlockKitPage({
        title: outline.title,
        // The page loads nothing from anywhere, so the chart travels inside it.
        messages: [
          stateOfTheCustomerToSlack(outline, png ? movementChartBlocks(history, { image_url: pngDataUri(png) }) : []),
        ],
        note: access ? privateNote : openNote,
      }),
      headers,
    );
  const pdf = await stateOfTheCustomerPdf(
    outline,
    png ? { png, title: movementChartTitle(history), lines: movementChartLines(history) } : undefined,
    `Made by the Customer Growth bot on ${now.toISOString().slice(0, 10)}. Private: customer figures.`,
  );
  response
    .writeHead(200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename="state-of-the-customer-${period.name}.pdf"`,
      'content-length': String(pdf.length),
      ...headers,
    })
    .end(pdf);
}
