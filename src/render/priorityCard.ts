// Priorities as Adaptive Cards for Teams: the list, the add form, and the announcement and
// thank-you sent when one is done, telling the same story as the Slack messages.
import type { PriorityChoices, PriorityList, PriorityStanding } from '../domain/priorities.js';
import type { PriorityNoticeContent, PriorityOwner } from '../domain/priorityNotices.js';
import {
  card,
  choiceSet,
  submit,
  text,
  type AdaptiveCard,
  type CardElement,
  type CardMessage,
} from './adaptiveCard.js';
import { cardUserText } from './cardText.js';
import { aboutLine, fallLine, measureWords, recentWeeksWords } from './priorityWords.js';

/** The add form's and the warning card's Action.Submit names, answered in src/teams/priorities.ts. */
export const priorityAddSubmit = 'priority_add';
export const priorityFromWarningSubmit = 'warning_priority';

const quote = (words: string) => cardUserText(words, 200);

export function ownerCardWords(owner: PriorityOwner): string {
  return `${cardUserText(owner.name ?? owner.userId, 80)}${owner.platform === 'slack' ? ' (in Slack)' : ''}`;
}

export function standingElements(standing: PriorityStanding): CardElement[] {
  return [
    text(`**#${standing.number} ${cardUserText(standing.title, 150)}** · owner ${ownerCardWords(standing.owner)}`, {
      spacing: 'Medium',
    }),
    text(measureWords(standing), { spacing: 'None' }),
    text(`${recentWeeksWords(standing)} · about ${aboutLine(standing, quote)}`, {
      isSubtle: true,
      size: 'Small',
      spacing: 'None',
    }),
  ];
}

export function priorityListCard(list: PriorityList): AdaptiveCard {
  const open = list.standings.filter((standing) => !standing.done);
  const done = list.standings.filter((standing) => standing.done);
  return card([
    text(`Priorities · ${open.length} open`, { weight: 'Bolder', style: 'heading' }),
    ...(list.recommendation ? [text(list.recommendation, { isSubtle: true })] : []),
    ...open.slice(0, 10).flatMap(standingElements),
    ...(open.length ? [] : [text('No priority is open. **priorities add** sets one (the CCO or a leader).')]),
    ...(done.length
      ? [
          text('Done lately', { weight: 'Bolder', spacing: 'Medium' }),
          ...done.map((standing) =>
            text(`- #${standing.number} ${cardUserText(standing.title, 150)} (${standing.doneAt!.slice(0, 10)})`, {
              spacing: 'None',
            }),
          ),
        ]
      : []),
    text(
      'Measured by complaints on what each is about, per week, against the weekly average of the 8 weeks before it started. **priorities done 3** when they have stayed below it long enough.',
      { isSubtle: true, size: 'Small' },
    ),
  ]);
}

/** The add form: title, owner (a work email, as Adaptive Cards have no people picker), what it is about, what stops. */
export function priorityFormCard(
  choices: PriorityChoices,
  prefill: { stageIds: string[]; momentIds: string[]; title: string; owner?: string },
): AdaptiveCard {
  const inputs: CardElement[] = [
    text('Add a priority', { weight: 'Bolder', style: 'heading' }),
    {
      type: 'Input.Text',
      id: 'title',
      label: 'Title',
      isRequired: true,
      errorMessage: 'Give the priority a title.',
      maxLength: 150,
      ...(prefill.title ? { value: prefill.title } : {}),
    },
    {
      type: 'Input.Text',
      id: 'owner',
      label: 'Owner (work email)',
      isRequired: true,
      errorMessage: 'Type the work email of the person who owns it.',
      maxLength: 200,
      placeholder: 'dana@example.com',
      ...(prefill.owner ? { value: prefill.owner } : {}),
    },
    ...(choices.issues.length
      ? [
          choiceSet(
            'issueIds',
            'Issues it is about',
            choices.issues.map((issue) => ({
              title: `#${issue.number} ${issue.title}`.slice(0, 120),
              value: issue.id,
            })),
            { isMultiSelect: true, style: 'filtered' },
          ),
        ]
      : []),
    choiceSet(
      'stageIds',
      'Journey stages it is about',
      choices.stages.map((stage) => ({ title: stage.name, value: stage.id })),
      { isMultiSelect: true, value: prefill.stageIds.join(',') },
    ),
    ...(choices.moments.length
      ? [
          choiceSet(
            'momentIds',
            'Moments that matter it is about',
            choices.moments.map((moment) => ({ title: `${moment.name} (${moment.stageName})`, value: moment.id })),
            { isMultiSelect: true, value: prefill.momentIds.join(',') },
          ),
        ]
      : []),
    {
      type: 'Input.Text',
      id: 'stopDoing',
      label: 'What the company stops doing to make room',
      isRequired: true,
      errorMessage: 'Say what the company stops doing to make room for it.',
      isMultiline: true,
      maxLength: 1000,
    },
    { type: 'Input.Date', id: 'startedOn', label: 'Started on (leave empty for today)' },
  ];
  return card(inputs, { actions: [submit('Add the priority', { action: priorityAddSubmit }, 'positive')] });
}

export function priorityNoticeToCard(content: PriorityNoticeContent): CardMessage {
  if (content.kind === 'priorityDone')
    return {
      summary: `Priority done: ${content.title}`.slice(0, 200),
      card: card([
        text('We said it mattered. Customers noticed.', { weight: 'Bolder', style: 'heading', size: 'Medium' }),
        text(`**${cardUserText(content.title, 150)}** is done. ${fallLine(content.title, content.fall, quote)}`),
        text(`Owned by ${ownerCardWords(content.owner)}. It was about ${content.about.map(quote).join('; ')}.`),
        text(
          `Priority #${content.priorityNumber}. Thank you to the ${content.reporters} ${content.reporters === 1 ? 'person' : 'people'} who passed these complaints on: keep telling us with **feedback**.`,
          { isSubtle: true, size: 'Small' },
        ),
      ]),
    };
  const numbers = content.feedbackNumbers.map((number) => `#${number}`).join(', ');
  return {
    summary: 'Thank you: the complaints you logged helped with a priority.',
    card: card([
      text('Thank you.', { weight: 'Bolder', style: 'heading' }),
      text(
        `The feedback you logged (${numbers}) made “${cardUserText(content.title, 150)}” one of the company's priorities, and it is done.`,
      ),
      text(fallLine(content.title, content.fall, quote)),
      text(
        `Priority #${content.priorityNumber}. If customers raise it again, keep logging it with **feedback**: leaders see it.`,
        {
          isSubtle: true,
          size: 'Small',
        },
      ),
    ]),
  };
}
