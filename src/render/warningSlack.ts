// Early warnings as Slack posts: what broke and why it fired, the readings against the
// standard, the complaints and customers' own words, the customers lost, and the owner.
import type { NumberFormat } from '../domain/numbers.js';
import type { MomentOwner } from '../domain/moments.js';
import type { Acknowledgement } from '../domain/warningCommands.js';
import type { WarningNoticeContent } from '../domain/warnings.js';
import type { SlackMessage } from './digestSlack.js';
import { priorityFromWarningAction } from './prioritySlack.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import { complaintsWords, lostWords, readingsWords, warningTitles, whereWords } from './warningWords.js';

const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) },
});
const context = (text: string) => ({
  type: 'context' as const,
  elements: [{ type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) }],
});
const quote = (text: string) => escapeMrkdwn(text);

/** The warning post's buttons; each carries the warning's id, answered in src/slack/warnings.ts. */
export const warningAcknowledgeAction = 'warning_acknowledge';
export const warningIssuesAction = 'warning_issues';

// Only ids of Slack's own shape are tagged: nothing else can become `<!channel>`, `<!here>` or a link.
const slackMemberId = /^[UW][A-Z0-9]{2,20}$/;
const slackChannelId = /^[CG][A-Z0-9]{2,20}$/;

/** A Slack owner is tagged, a person as `<@U…>` and a channel as `<#C…>`; anyone else is named in plain words. */
function ownerWords(owner: MomentOwner): string {
  if (owner.platform === 'slack') {
    if (owner.kind === 'person' && slackMemberId.test(owner.id)) return `<@${owner.id}>`;
    if (owner.kind === 'channel' && slackChannelId.test(owner.id)) return `<#${owner.id}>`;
    return escapeMrkdwn(owner.name ?? owner.id);
  }
  return `${escapeMrkdwn(owner.name ?? owner.id)} (in Teams)`;
}

/** Who acknowledged: tagged when they pressed in Slack (a tag in an edit notifies nobody), named otherwise. */
function acknowledgerWords({ by, name }: Acknowledgement): string {
  if (by.platform === 'slack' && slackMemberId.test(by.userId)) return `<@${by.userId}>`;
  return `${escapeMrkdwn(name ?? 'someone')}${by.platform === 'teams' ? ' (in Teams)' : ''}`;
}

/**
 * The warning as a Slack post. Once acknowledged (`acknowledgement`), the post says by whom and
 * when in place of its Acknowledge button; the other buttons stay.
 */
export function warningToSlack(
  content: WarningNoticeContent,
  format: NumberFormat,
  acknowledgement?: Acknowledgement,
): SlackMessage {
  if (content.kind === 'earlyWarningSummary') {
    return {
      text: `${content.headlines.length} more early warnings`,
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: fitText(`${content.headlines.length} more early warnings`, blockKitLimits.headerText),
          },
        },
        section(
          content.headlines
            .slice(0, 30)
            .map((line) => `• ${escapeMrkdwn(line)}`)
            .join('\n'),
        ),
        context(
          'Grouped so this channel is not flooded: at most 5 warnings are posted one by one per check, and 10 a day.',
        ),
      ],
    };
  }
  const { story } = content;
  const blocks = [
    {
      type: 'header' as const,
      text: { type: 'plain_text' as const, text: fitText(warningTitles[story.kind], blockKitLimits.headerText) },
    },
    section(`*${whereWords(story, quote)}*\n${escapeMrkdwn(story.why)}`),
    ...(story.moment ? [section(`*Recent readings:* ${escapeMrkdwn(readingsWords(story.moment))}`)] : []),
    section(
      `*Complaints:* ${complaintsWords(story, quote)}${story.complaints.verbatims.map((verbatim) => `\n> “${escapeMrkdwn(verbatim.text)}” (${escapeMrkdwn(verbatim.attribution)})`).join('')}`,
    ),
    section(`*Customers lost:* ${lostWords(story, format, quote).join('\n• ')}`),
    context(
      story.owners.length
        ? `Owner: ${story.owners.map(ownerWords).join(', ')}`
        : 'No moment at this stage names an owner yet.',
    ),
    ...(acknowledgement
      ? [
          context(
            `:white_check_mark: Acknowledged by ${acknowledgerWords(acknowledgement)} at ${acknowledgement.atText}`,
          ),
        ]
      : []),
    {
      type: 'actions' as const,
      elements: [
        ...(acknowledgement
          ? []
          : [
              {
                type: 'button' as const,
                action_id: warningAcknowledgeAction,
                value: content.warningId,
                text: { type: 'plain_text' as const, text: 'Acknowledge' },
                style: 'primary' as const,
              },
            ]),
        {
          type: 'button' as const,
          action_id: warningIssuesAction,
          value: content.warningId,
          text: { type: 'plain_text' as const, text: 'Open the issues' },
        },
        {
          type: 'button' as const,
          action_id: priorityFromWarningAction,
          value: content.warningId,
          text: { type: 'plain_text' as const, text: 'Make it a priority' },
        },
      ],
    },
  ];
  return {
    text: escapeMrkdwn(`${warningTitles[story.kind]}: ${story.moment?.name ?? story.categoryName ?? story.stageName}`),
    blocks,
  };
}
