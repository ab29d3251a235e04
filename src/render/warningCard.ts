// Early warnings as Adaptive Cards for Teams, telling the same story as the Slack post.
import type { MomentOwner } from '../domain/moments.js';
import type { NumberFormat } from '../domain/numbers.js';
import type { Acknowledgement } from '../domain/warningCommands.js';
import type { WarningNoticeContent } from '../domain/warnings.js';
import { card, submit, text } from './adaptiveCard.js';
import { cardUserText, escapeCardMarkdown } from './cardText.js';
import type { CardMention, CardMessage } from './adaptiveCard.js';
import { priorityFromWarningSubmit } from './priorityCard.js';
import { complaintsWords, lostWords, readingsWords, warningTitles, whereWords } from './warningWords.js';

const quote = (words: string) => cardUserText(words, 300);

/** The card's Action.Submit names, answered in src/teams/warnings.ts; each carries the warning's id. */
export const warningAcknowledgeSubmit = 'warning_acknowledge';
export const warningIssuesSubmit = 'warning_issues';

// A person Teams can mention: an Entra object id (or a Teams user id) and a name to show.
const teamsUserId = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|29:[\w-]{1,200})$/i;

/** The name inside `<at>…</at>`: it must read the same in the text and the entity, so nothing in it may format. */
function mentionName(name: string | null): string {
  return (name ?? '')
    .replace(/[\\`*_~[\]()<>#\r\n]/g, '')
    .trim()
    .slice(0, 80);
}

/**
 * A Teams person who owns the moment is mentioned (`<at>Name</at>` with its entity), so Teams
 * notifies them; any other owner (a Slack one, a Teams channel, someone without a name) is named.
 */
function ownerWords(owner: MomentOwner): { words: string; mention?: CardMention } {
  const name = mentionName(owner.name);
  if (owner.platform === 'teams' && owner.kind === 'person' && name && teamsUserId.test(owner.id)) {
    const text = `<at>${name}</at>`;
    return { words: text, mention: { type: 'mention', text, mentioned: { id: owner.id, name } } };
  }
  return { words: `${cardUserText(owner.name ?? owner.id, 80)}${owner.platform === 'slack' ? ' (in Slack)' : ''}` };
}

function acknowledgerWords({ by, name }: Acknowledgement): string {
  return `${cardUserText(name ?? 'someone', 80)}${by.platform === 'slack' ? ' (in Slack)' : ''}`;
}

/**
 * The warning as a Teams card. Once acknowledged (`acknowledgement`), the card says by whom and
 * when in place of its Acknowledge action; the other actions stay.
 */
export function warningToCard(
  content: WarningNoticeContent,
  format: NumberFormat,
  acknowledgement?: Acknowledgement,
): CardMessage {
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
  const owners = story.owners.map(ownerWords);
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
          owners.length
            ? `Owner: ${owners.map((owner) => owner.words).join(', ')}`
            : 'No moment at this stage names an owner yet.',
          { isSubtle: true, size: 'Small' },
        ),
        ...(acknowledgement
          ? [text(`✅ Acknowledged by ${acknowledgerWords(acknowledgement)} at ${acknowledgement.atText}`)]
          : []),
      ],
      {
        actions: [
          ...(acknowledgement
            ? []
            : [submit('Acknowledge', { action: warningAcknowledgeSubmit, warningId: content.warningId }, 'positive')]),
          submit('Open the issues', { action: warningIssuesSubmit, warningId: content.warningId }),
          submit('Make it a priority', { action: priorityFromWarningSubmit, warningId: content.warningId }),
        ],
        mentions: owners.flatMap((owner) => (owner.mention ? [owner.mention] : [])),
      },
    ),
  };
}
