// What someone sees after logging feedback: what was stored, where it was filed, and
// menus to correct the stage, category or source. Their words are echoed escaped.
import type { StaticSelect } from '@slack/types';
import type { Vocabulary } from '../domain/classification.js';
import { feedbackSources, sourceWords, type FeedbackView, type LogAgain } from '../domain/feedback.js';
import { convergenceWords, type IssueSummary } from '../domain/issues.js';
import type { SlackBlock } from './blockKitHtml.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import type { SlackMessage } from './digestSlack.js';

/** Static selects hold at most 100 options; the company lists are far shorter. */
const maxOptions = 100;
const option = (label: string, value: string) => ({
  text: { type: 'plain_text' as const, text: fitText(label, 75) },
  value,
});

function select(
  actionId: string,
  placeholder: string,
  options: Array<{ label: string; value: string }>,
  selected: string | null,
): StaticSelect {
  const choices = options.slice(0, maxOptions).map((choice) => option(choice.label, choice.value));
  const initial = choices.find((choice) => choice.value === selected);
  return {
    type: 'static_select',
    action_id: actionId,
    placeholder: { type: 'plain_text', text: placeholder },
    options: choices,
    ...(initial ? { initial_option: initial } : {}),
  };
}

export function issueWords(issue: IssueSummary): string {
  const converging = convergenceWords(issue.sources);
  const reports = `${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}`;
  return `issue *#${issue.number}* “${escapeMrkdwn(issue.title)}” (${reports}${converging ? `, ${converging}` : ''})`;
}

export function feedbackReply(view: FeedbackView, vocabulary: Vocabulary, options: { sorting: boolean }): SlackMessage {
  const { feedback } = view;
  const quote = fitText(escapeMrkdwn(feedback.text.replace(/\s+/g, ' ')), 600);
  const filed = options.sorting
    ? 'Sorting it into a journey stage and category…'
    : view.stageName && view.categoryName
      ? `Filed under *${escapeMrkdwn(view.stageName)}* › *${escapeMrkdwn(view.categoryName)}*${view.issue ? `, with ${issueWords(view.issue)}` : ''}.`
      : 'I could not tell which journey stage or category this belongs to: please pick them below so it counts.';
  const blocks: SlackBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: fitText(
          `:memo: Logged as feedback *#${feedback.number}* (source: ${sourceWords[feedback.source]}):\n>${quote}`,
          blockKitLimits.sectionText,
        ),
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: fitText(filed, blockKitLimits.sectionText) } },
  ];
  if (view.notes.length)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: fitText(view.notes.map(escapeMrkdwn).join(' '), blockKitLimits.sectionText) }],
    });
  if (!options.sorting) {
    blocks.push({
      type: 'actions',
      block_id: `feedback:${feedback.id}`,
      elements: [
        select(
          'feedback_stage',
          'Journey stage',
          vocabulary.stages.map((stage) => ({ label: stage.name, value: stage.id })),
          feedback.stageId,
        ),
        select(
          'feedback_category',
          'Category',
          vocabulary.categories.map((category) => ({ label: category.name, value: category.id })),
          feedback.categoryId,
        ),
        select(
          'feedback_source',
          'Source',
          feedbackSources.map((source) => ({ label: sourceWords[source], value: source })),
          feedback.source,
        ),
      ],
    });
  }
  return { text: `Logged as feedback #${feedback.number}`, blocks };
}

/** Slack's limit on a button's value. */
const buttonValueLimit = 2000;

/** The button's value: what to log again. A long link back to the message is left out rather than lose the button. */
export function logAgainValue(again: LogAgain): string {
  const value = JSON.stringify(again);
  if (value.length <= buttonValueLimit) return value;
  const { messageLink: _link, ...rest } = again;
  return JSON.stringify(rest);
}

/** The same words from the same person a moment ago: say so, store nothing, offer to store it regardless. */
export function duplicateFeedbackReply(duplicate: { number: number; again: LogAgain }): SlackMessage {
  const text = `You already logged this as #${duplicate.number} a moment ago, so nothing new was saved.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:repeat: You already logged this as *#${duplicate.number}* a moment ago, so nothing new was saved. If the customer really said it twice, log it again.`,
        },
      },
      {
        type: 'actions',
        block_id: 'feedback_again',
        elements: [
          {
            type: 'button',
            action_id: 'feedback_log_again',
            text: { type: 'plain_text', text: 'Log it again anyway' },
            value: logAgainValue(duplicate.again),
          },
        ],
      },
    ],
  };
}

export function openIssuesList(issues: IssueSummary[]): SlackMessage {
  if (!issues.length)
    return {
      text: 'No open issues.',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'No open issues right now. Feedback logged with `/feedback` rolls up into issues here.',
          },
        },
      ],
    };
  // One block per issue with its own button, under the 50-block limit with a heading and a footer.
  const shown = issues.slice(0, blockKitLimits.blocksPerMessage - 2);
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: '*Open issues*, most reported first' } },
    ...shown.map(
      (issue): SlackBlock => ({
        type: 'section',
        block_id: `issue:${issue.number}`,
        text: {
          type: 'mrkdwn',
          text: fitText(
            `*#${issue.number}* ${escapeMrkdwn(issue.title)}\n${escapeMrkdwn(issue.stageName)} › ${escapeMrkdwn(issue.categoryName)} · ${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}${convergenceWords(issue.sources) ? ` · ${convergenceWords(issue.sources)}` : ''}`,
            blockKitLimits.sectionText,
          ),
        },
        accessory: {
          type: 'button',
          action_id: 'issue_resolve',
          value: String(issue.number),
          text: { type: 'plain_text', text: 'Resolve…' },
        },
      }),
    ),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: '`/issues merge 12 into 7` · `/issues split 7 f12 f15` · `/resolve 7 what changed`' },
      ],
    },
  ];
  return { text: `${issues.length} open issues`, blocks };
}
