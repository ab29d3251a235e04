// The listening path as Adaptive Cards for Teams: what someone sees after logging
// feedback (with a form to correct where it was filed), the feedback form, open issues
// and the resolve form. Customer and staff words are echoed escaped, as data.
import type { Vocabulary } from '../domain/classification.js';
import {
  feedbackSources,
  maxFeedbackLength,
  severities,
  sourceWords,
  type FeedbackView,
  type LogAgain,
} from '../domain/feedback.js';
import { convergenceWords, type IssueSummary } from '../domain/issues.js';
import { card, choiceSet, submit, text, type AdaptiveCard, type CardElement, type Choice } from './adaptiveCard.js';
import { cardUserText } from './cardText.js';

const stageChoices = (vocabulary: Vocabulary): Choice[] =>
  vocabulary.stages.map((stage) => ({ title: stage.name, value: stage.id }));
const categoryChoices = (vocabulary: Vocabulary): Choice[] =>
  vocabulary.categories.map((category) => ({ title: category.name, value: category.id }));
const sourceChoices: Choice[] = feedbackSources.map((source) => ({ title: sourceWords[source], value: source }));

export function issueCardWords(issue: IssueSummary): string {
  const converging = convergenceWords(issue.sources);
  const reports = `${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}`;
  return `issue **#${issue.number}** “${cardUserText(issue.title, 200)}” (${reports}${converging ? `, ${converging}` : ''})`;
}

/** Submitted as `{ action: 'feedback_correct', feedbackId, stage, category, source }`. */
export function feedbackLoggedCard(
  view: FeedbackView,
  vocabulary: Vocabulary,
  options: { sorting: boolean },
): AdaptiveCard {
  const { feedback } = view;
  const filed = options.sorting
    ? 'Sorting it into a journey stage and category…'
    : view.stageName && view.categoryName
      ? `Filed under **${cardUserText(view.stageName, 100)}** › **${cardUserText(view.categoryName, 100)}**${view.issue ? `, with ${issueCardWords(view.issue)}` : ''}.`
      : 'I could not tell which journey stage or category this belongs to: please pick them below so it counts.';
  const body: CardElement[] = [
    text(`Logged as feedback #${feedback.number}`, { weight: 'Bolder', style: 'heading' }),
    text(`Source: ${sourceWords[feedback.source]}`, { isSubtle: true, spacing: 'None' }),
    text(cardUserText(feedback.text, 600)),
    text(filed),
  ];
  if (view.notes.length)
    body.push(text(view.notes.map((note) => cardUserText(note, 300)).join(' '), { isSubtle: true, size: 'Small' }));
  if (options.sorting) return card(body, { speak: `Logged as feedback ${feedback.number}` });
  body.push(
    choiceSet('stage', 'Journey stage', stageChoices(vocabulary), {
      placeholder: 'Choose a stage',
      ...(feedback.stageId ? { value: feedback.stageId } : {}),
    }),
    choiceSet('category', 'Category', categoryChoices(vocabulary), {
      placeholder: 'Choose a category',
      ...(feedback.categoryId ? { value: feedback.categoryId } : {}),
    }),
    choiceSet('source', 'Source', sourceChoices, { value: feedback.source }),
  );
  return card(body, {
    speak: `Logged as feedback ${feedback.number}`,
    actions: [submit('Save changes', { action: 'feedback_correct', feedbackId: feedback.id })],
  });
}

/** The same words from the same person a moment ago. Submitted as `{ action: 'feedback_log_again', repeatOf, … }` to store it regardless. */
export function duplicateFeedbackCard(duplicate: { number: number; again: LogAgain }): AdaptiveCard {
  return card(
    [
      text('Already logged', { weight: 'Bolder', style: 'heading' }),
      text(
        `You already logged this as feedback **#${duplicate.number}** a moment ago, so nothing new was saved. If the customer really said it twice, log it again.`,
      ),
    ],
    {
      speak: `You already logged this as feedback ${duplicate.number}`,
      actions: [submit('Log it again anyway', { action: 'feedback_log_again', ...duplicate.again })],
    },
  );
}

/** `feedback` with nothing after it. Submitted as `{ action: 'feedback_log', verbatim, source, stage?, category?, severity? }`. */
export function feedbackFormCard(vocabulary: Vocabulary): AdaptiveCard {
  return card(
    [
      text('Log customer feedback', { weight: 'Bolder', style: 'heading' }),
      text('What a customer told you, in their words if you can. It is stored the moment you press Log.', {
        isSubtle: true,
      }),
      {
        type: 'Input.Text',
        id: 'verbatim',
        label: 'What the customer said',
        isMultiline: true,
        isRequired: true,
        errorMessage: 'Add what the customer said.',
        maxLength: maxFeedbackLength,
      },
      choiceSet('source', 'Where you heard it', sourceChoices, { value: 'other' }),
      choiceSet('stage', 'Journey stage (optional: left empty, I will suggest one)', stageChoices(vocabulary), {
        placeholder: 'Choose a stage',
      }),
      choiceSet('category', 'Category (optional)', categoryChoices(vocabulary), { placeholder: 'Choose a category' }),
      choiceSet(
        'severity',
        'Severity (optional)',
        severities.map((severity) => ({ title: severity, value: severity })),
        { placeholder: 'How serious' },
      ),
    ],
    { actions: [submit('Log', { action: 'feedback_log' }, 'positive')] },
  );
}

/** Teams messages top out near 28 KB; twenty issues with their forms stay well under. */
export const issuesPerCard = 20;

export const whatChangedInput = (id: string) =>
  ({
    type: 'Input.Text',
    id,
    label: 'What changed',
    isMultiline: true,
    isRequired: true,
    errorMessage: 'Say what changed, in a sentence people will recognise.',
    maxLength: 1500,
    placeholder: 'Refunds now arrive within 24 hours',
  }) as const;

/** Open issues, each with a Resolve form that opens in place. */
export function openIssuesCard(issues: IssueSummary[]): AdaptiveCard {
  if (!issues.length)
    return card([
      text('No open issues right now.', { weight: 'Bolder' }),
      text('Feedback logged with **feedback** rolls up into issues here.'),
    ]);
  const shown = issues.slice(0, issuesPerCard);
  const body: CardElement[] = [text('Open issues, most reported first', { weight: 'Bolder', style: 'heading' })];
  for (const issue of shown) {
    const converging = convergenceWords(issue.sources);
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**#${issue.number}** ${cardUserText(issue.title, 200)}`),
        text(
          `${cardUserText(issue.stageName, 100)} › ${cardUserText(issue.categoryName, 100)} · ${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}${converging ? ` · ${converging}` : ''}`,
          { isSubtle: true, spacing: 'None' },
        ),
        {
          type: 'ActionSet',
          actions: [
            {
              type: 'Action.ShowCard',
              title: 'Resolve…',
              card: {
                type: 'AdaptiveCard',
                body: [whatChangedInput(`what_changed_${issue.number}`)],
                actions: [
                  submit(`Resolve #${issue.number}`, { action: 'issue_resolve', issue: issue.number }, 'positive'),
                ],
              },
            },
          ],
        },
      ],
    });
  }
  if (issues.length > shown.length) body.push(text(`…and ${issues.length - shown.length} more.`, { isSubtle: true }));
  body.push(
    text('**issues merge 12 into 7** · **issues split 7 f12 f15** · **resolve 7 what changed**', {
      isSubtle: true,
      size: 'Small',
    }),
  );
  return card(body, { speak: `${issues.length} open issues` });
}

/** `resolve` without both parts. Submitted as `{ action: 'issue_resolve', issue, what_changed }`. */
export function resolveFormCard(issues: IssueSummary[], selected?: number): AdaptiveCard {
  return card(
    [
      text('Resolve an issue', { weight: 'Bolder', style: 'heading' }),
      text('Everyone who logged it is thanked, and the channels that hear about fixes are told what changed.', {
        isSubtle: true,
      }),
      choiceSet(
        'issue',
        'Issue',
        issues
          .slice(0, 100)
          .map((issue) => ({ title: `#${issue.number} ${issue.title}`.slice(0, 150), value: String(issue.number) })),
        {
          isRequired: true,
          errorMessage: 'Pick the issue that was fixed.',
          placeholder: 'Choose an issue',
          ...(selected !== undefined ? { value: String(selected) } : {}),
        },
      ),
      whatChangedInput('what_changed'),
    ],
    { actions: [submit('Resolve', { action: 'issue_resolve' }, 'positive')] },
  );
}
