// The State of the Customer in Block Kit: the summary posted in a channel, and the full report
// the private page draws (in the digest page's look). Words from customers and staff are escaped.
import type { SlackBlock } from './blockKitHtml.js';
import type { SlackMessage } from './digestSlack.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import type { Line, Outline, OutlineSection } from './stateOfTheCustomerOutline.js';

export function lineToMrkdwn(line: Line): string {
  return line
    .map((piece) => {
      if (typeof piece === 'string') return escapeMrkdwn(piece);
      if ('user' in piece) return piece.strong ? `*${escapeMrkdwn(piece.user)}*` : escapeMrkdwn(piece.user);
      return piece.strong ? `*${escapeMrkdwn(piece.strong)}*` : '';
    })
    .join('');
}

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fitText(text, blockKitLimits.sectionText) },
});

/** A section's lines as few section blocks as fit Block Kit's 3,000 characters each. */
function sectionBlocks(part: OutlineSection, moreWords: string | undefined): SlackBlock[] {
  const blocks: SlackBlock[] = [section(`*${escapeMrkdwn(part.heading)}*`)];
  let text = '';
  const lines = part.lines.map((line) => `• ${lineToMrkdwn(line)}`);
  if (part.more && moreWords) lines.push(`_and ${part.more} more ${moreWords}_`);
  for (const line of lines) {
    if (text && text.length + line.length + 1 > blockKitLimits.sectionText) {
      blocks.push(section(text));
      text = '';
    }
    text = text ? `${text}\n${line}` : line;
  }
  if (text) blocks.push(section(text));
  return blocks;
}

function headerBlocks(outline: Outline): SlackBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: fitText(outline.title, blockKitLimits.headerText) } },
    section(`*${escapeMrkdwn(outline.question)}*\n${escapeMrkdwn(outline.answer)}`),
  ];
}

/** The channel summary: each section's first lines, the rest in the full report. Within 50 blocks. */
/** The summary for the channel; the chart (when given) after the answer, as in the full report. */
export function stateOfTheCustomerSummaryToSlack(outline: Outline, chart: SlackBlock[] = []): SlackMessage {
  const blocks = [...headerBlocks(outline), ...chart];
  for (const part of outline.sections) {
    const [heading, ...body] = sectionBlocks(part, 'in the full report');
    // A summary keeps one body block a section, so it always fits in one message.
    blocks.push({ type: 'divider' }, heading!, ...body.slice(0, 1));
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'The full report, as a page and as a PDF, is private: whoever posted this summary has the links.',
      },
    ],
  });
  return { text: `${outline.title}: ${outline.answer}`, blocks };
}

/** The whole report, for the page: every line of every section, the chart (when given) after the answer. */
export function stateOfTheCustomerToSlack(outline: Outline, chart: SlackBlock[] = []): SlackMessage {
  const blocks = [...headerBlocks(outline), ...chart];
  for (const part of outline.sections) blocks.push({ type: 'divider' }, ...sectionBlocks(part, undefined));
  return { text: `${outline.title}: ${outline.answer}`, blocks };
}
