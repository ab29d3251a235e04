// Early warnings as Adaptive Cards for Teams, telling the same story as the Slack post.
import type { MomentOwner } from '../domain/moments.js';
import type { NumberFormat } from '../domain/numbers.js';
import type { WarningNoticeContent } from '../domain/warnings.js';
import { card, submit, text } from './adaptiveCard.js';
import { cardUserText, escapeCardMarkdown } from './cardText.js';
import type { CardMessage } from './adaptiveCard.js';
import { priorityFromWarningSubmit } from './priorityCard.js';
import { complaintsWords, lostWords, readingsWords, warningTitles, whereWords } from './warningWords.js';

const quote = (words: string) => cardUserText(words, 300);

/** The card's Action.Submit names, answered in src/teams/warnings.ts; each carries the warning's id. */
export const warningAcknowledgeSubmit = 'warning_acknowledge';
export const warningIssuesSubmit = 'warning_issues';

/** A mention in Teams needs the person's entity in the activity; the card names the owner instead. */
function ownerWords(owner: MomentOwner): string {
  return `${cardUserText(owner.name ?? owner.id, 80)}${owner.platform === 'slack' ? ' (in Slack)' : ''}`;
}

export function warningToCard(content: WarningNoticeContent, format: NumberFormat): CardMessage {
  if (content.kind === 'earlyWarningSummary') {
    return {
      summary: `${content.headlines.length} more early warnings`,
      card: card([
        text(`${content.headlines.length} more early warnings`, { weight: 'Bolder', style: 'heading' }),
        ...content.headlines.slice(0, 30).map((line) => text(`• ${cardUserText(line, 300)}`, { spacing: 'None' })),
        text(
          'Grouped so this conversation is not flooded: at most 5 warnings are posted one by one per check, and 10 a day.',
          { isSubtle: true, size: 'Small' },
        ),
      ]),
    };
  }
  const { story } = content;
  return {
    summary: warningTitles[story.kind],
    card: card(
      [
        text(warningTitles[story.kind], { weight: 'Bolder', style: 'heading', size: 'Medium' }),
        text(`**${whereWords(story, quote)}**`),
        text(escapeCardMarkdown(story.why)),
        ...(story.moment ? [text(`**Recent readings:** ${escapeCardMarkdown(readingsWords(story.moment))}`)] : []),
        text(`**Complaints:** ${complaintsWords(story, quote)}`),
        ...story.complaints.verbatims.map((verbatim) =>
          text(`“${cardUserText(verbatim.text, 300)}” (${cardUserText(verbatim.attribution, 120)})`, {
            isSubtle: true,
            spacing: 'Small',
          }),
        ),
        text(`**Customers lost:** ${lostWords(story, format, quote).join(' · ')}`),
        text(
          story.owners.length
            ? `Owner: ${story.owners.map(ownerWords).join(', ')}`
            : 'No moment at this stage names an owner yet.',
          { isSubtle: true, size: 'Small' },
        ),
      ],
      {
        actions: [
          submit('Acknowledge', { action: warningAcknowledgeSubmit, warningId: content.warningId }, 'positive'),
          submit('Open the issues', { action: warningIssuesSubmit, warningId: content.warningId }),
          submit('Make it a priority', { action: priorityFromWarningSubmit, warningId: content.warningId }),
        ],
      },
    ),
  };
}
