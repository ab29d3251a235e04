// The State of the Customer summary as one Adaptive Card for Teams: the same sections and lines
// as the Slack summary. Every piece of text is escaped for the card's Markdown.
import { card, text, type AdaptiveCard, type CardElement } from './adaptiveCard.js';
import { escapeCardMarkdown, fitUserText } from './cardText.js';
import type { Line, Outline } from './stateOfTheCustomerOutline.js';

export function lineToCardMarkdown(line: Line): string {
  return line
    .map((piece) => {
      if (typeof piece === 'string') return escapeCardMarkdown(piece);
      if ('user' in piece) {
        const words = escapeCardMarkdown(fitUserText(piece.user, 300));
        return piece.strong ? `**${words}**` : words;
      }
      return piece.strong ? `**${escapeCardMarkdown(piece.strong)}**` : '';
    })
    .join('');
}

/** `chart`: the movement chart's elements (picture and words), placed after the answer as in the full report. */
export function stateOfTheCustomerCard(
  outline: Outline,
  links?: { page: string; pdf: string },
  chart: CardElement[] = [],
): AdaptiveCard {
  const body: CardElement[] = [
    text(escapeCardMarkdown(outline.title), { weight: 'Bolder', size: 'Large', style: 'heading' }),
    text(`**${escapeCardMarkdown(outline.question)}** ${escapeCardMarkdown(outline.answer)}`),
    ...chart,
  ];
  for (const part of outline.sections) {
    const items: CardElement[] = [text(escapeCardMarkdown(part.heading), { weight: 'Bolder' })];
    for (const line of part.lines) items.push(text(lineToCardMarkdown(line), { spacing: 'Small' }));
    if (part.more) items.push(text(`and ${part.more} more in the full report`, { isSubtle: true, spacing: 'Small' }));
    body.push({ type: 'Container', separator: true, spacing: 'Medium', items });
  }
  if (links)
    body.push(text(`[Open the full report](${links.page}) · [Download the PDF](${links.pdf})`, { spacing: 'Medium' }));
  return card(body, { fullWidth: true, speak: outline.title });
}
