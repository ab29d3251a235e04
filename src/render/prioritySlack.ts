// Priorities as Slack messages: the list with each one's measure, and the announcement and
// thank-you sent when one is done.
import type { PriorityList } from '../domain/priorities.js';
import type { PriorityNoticeContent } from '../domain/priorityNotices.js';
import type { SlackMessage } from './digestSlack.js';
import { ownerWords, standingText } from './priorityMrkdwn.js';
import { fallLine } from './priorityWords.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';

const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) },
});
const context = (text: string) => ({
  type: 'context' as const,
  elements: [{ type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) }],
});

/** "Make it a priority" on a warning opens the add form with the warning's moment or stage. */
export const priorityFromWarningAction = 'warning_priority';
export const priorityModalId = 'priority_modal';

export { ownerWords, standingText } from './priorityMrkdwn.js';

export function priorityListMessage(list: PriorityList): SlackMessage {
  const open = list.standings.filter((standing) => !standing.done);
  const done = list.standings.filter((standing) => standing.done);
  const heading = `*Priorities* · ${open.length} open${list.recommendation ? `\n_${escapeMrkdwn(list.recommendation)}_` : ''}`;
  const blocks = [
    section(heading),
    ...open.slice(0, 10).map((standing) => section(standingText(standing))),
    ...(open.length ? [] : [section('_No priority is open. `/priorities add` sets one (the CCO or a leader)._')]),
    ...(done.length
      ? [
          section(
            `*Done lately*\n${done.map((standing) => `• #${standing.number} ${escapeMrkdwn(standing.title)} (${standing.doneAt!.slice(0, 10)})`).join('\n')}`,
          ),
        ]
      : []),
    context(
      'Measured by complaints on what each is about, per week, against the weekly average of the 8 weeks before it started. `/priorities done 3` when they have stayed below it long enough.',
    ),
  ];
  return { text: `Priorities: ${open.length} open`, blocks };
}

export function priorityNoticeToSlack(content: PriorityNoticeContent): SlackMessage {
  if (content.kind === 'priorityDone') {
    const fall = fallLine(content.title, content.fall, escapeMrkdwn);
    return {
      text: escapeMrkdwn(`Priority done: ${content.title}.`),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'We said it mattered. Customers noticed.' } },
        section(`*${escapeMrkdwn(content.title)}* is done. ${fall}`),
        section(`Owned by ${ownerWords(content.owner)}. It was about ${content.about.map(escapeMrkdwn).join('; ')}.`),
        context(
          `Priority #${content.priorityNumber}. Thank you to the ${content.reporters} ${content.reporters === 1 ? 'person' : 'people'} who passed these complaints on: keep telling us with \`/feedback\`.`,
        ),
      ],
    };
  }
  const numbers = content.feedbackNumbers.map((number) => `#${number}`).join(', ');
  return {
    text: escapeMrkdwn(`Thank you: the complaints you logged helped with "${content.title}".`),
    blocks: [
      section(
        `:raised_hands: *Thank you.* The feedback you logged (${numbers}) made “${escapeMrkdwn(content.title)}” one of the company's priorities, and it is done.`,
      ),
      section(fallLine(content.title, content.fall, escapeMrkdwn)),
      context(
        `Priority #${content.priorityNumber}. If customers raise it again, keep logging it with \`/feedback\`: leaders see it.`,
      ),
    ],
  };
}
