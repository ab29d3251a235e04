// Lost-customer call campaigns as Adaptive Cards for Teams: a caller's list (contact
// details only ever rendered here, for the caller's personal chat), the call form that
// opens under each card, campaign progress, and the CCO's start form.
import type { CallListHeading, CallCard, CampaignProgress } from '../domain/campaigns.js';
import type { Vocabulary } from '../domain/classification.js';
import { formatMoney, type NumberFormat } from '../domain/numbers.js';
import { card, choiceSet, submit, text, type AdaptiveCard, type CardElement, type Choice } from './adaptiveCard.js';
import { cardUserText } from './cardText.js';
import type { CardMessage } from './adaptiveCard.js';

const statusWords: Record<CallCard['status'], string> = {
  open: 'To call',
  reached: '✅ Reached',
  unreachable: '🚫 Could not reach',
};

/**
 * Input ids must be unique in a card, and a list holds up to twenty call forms, so each
 * field's id carries its call's id; the submit data names the call, and
 * `callFormField` reads the answers back.
 */
export const callFormField = (field: CallFormField, callId: string) => `${field}_${callId}`;
export type CallFormField = 'reached' | 'reason' | 'reason_other' | 'stage' | 'verbatim' | 'might_return' | 'follow_up';

export function callForm(callId: string, vocabulary: Vocabulary): CardElement[] {
  const id = (field: CallFormField) => callFormField(field, callId);
  const reasons: Choice[] = [
    ...vocabulary.categories.slice(0, 99).map((category) => ({ title: category.name, value: category.id })),
    { title: 'Other', value: 'other' },
  ];
  return [
    choiceSet(
      id('reached'),
      'Did you reach them?',
      [
        { title: 'Yes, we spoke', value: 'yes' },
        { title: 'No', value: 'no' },
      ],
      { isRequired: true, errorMessage: 'Say whether you reached them.', style: 'expanded' },
    ),
    choiceSet(id('reason'), 'Main reason they left', reasons, { placeholder: 'Choose a reason' }),
    { type: 'Input.Text', id: id('reason_other'), label: 'If other, in a few words', maxLength: 500 },
    choiceSet(
      id('stage'),
      'Where in the journey it went wrong',
      vocabulary.stages.map((stage) => ({ title: stage.name, value: stage.id })),
      { placeholder: 'Choose a stage' },
    ),
    {
      type: 'Input.Text',
      id: id('verbatim'),
      label: 'What they said, in their words',
      isMultiline: true,
      maxLength: 3000,
    },
    choiceSet(
      id('might_return'),
      'Might they come back?',
      [
        { title: 'Yes', value: 'yes' },
        { title: 'Maybe, if we fix it', value: 'maybe' },
        { title: 'No', value: 'no' },
      ],
      { placeholder: 'Choose one' },
    ),
    { type: 'Input.Text', id: id('follow_up'), label: 'Follow-up owner (name or email)', maxLength: 100 },
  ];
}

/** Submitted as `{ action: 'call_log', callId, …fields }` or `{ action: 'call_unreachable', callId }`. */
export function callListCard(
  heading: CallListHeading,
  cards: CallCard[],
  vocabulary: Vocabulary,
  format: NumberFormat,
): CardMessage {
  const open = cards.filter((call) => call.status === 'open').length;
  const body: CardElement[] = [
    text(`Lost-customer calls: ${cardUserText(heading.name, 100)}`, {
      weight: 'Bolder',
      style: 'heading',
      size: 'Medium',
    }),
    text(
      `Campaign #${heading.campaignNumber}${heading.part ? `, list ${heading.part + 1}` : ''} · ${open} of ${cards.length} still to call · due ${heading.dueOn}`,
      { isSubtle: true, spacing: 'None' },
    ),
  ];
  if (heading.guidance) body.push(text(cardUserText(heading.guidance, 2000)));
  for (const call of cards) {
    const lost = new Intl.DateTimeFormat(format.locale, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(call.lostAt));
    const facts = [
      { title: 'Segment', value: cardUserText(call.segment, 100) },
      { title: 'Value lost', value: formatMoney(call.valueLost, format) },
      { title: 'Left', value: lost },
      ...(call.contact ? [{ title: 'Contact', value: cardUserText(call.contact, 200) }] : []),
      {
        title: 'Status',
        value: `${statusWords[call.status]}${call.reason ? ` · ${cardUserText(call.reason, 100)}` : ''}`,
      },
    ];
    const items: CardElement[] = [
      text(`**${cardUserText(call.customerName, 150)}**`),
      { type: 'FactSet', facts, spacing: 'Small' },
    ];
    if (call.status === 'open') {
      items.push({
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.ShowCard',
            title: 'Log call',
            card: {
              type: 'AdaptiveCard',
              body: callForm(call.callId, vocabulary),
              actions: [submit('Save', { action: 'call_log', callId: call.callId }, 'positive')],
            },
          },
          submit("Couldn't reach", { action: 'call_unreachable', callId: call.callId }),
        ],
      });
    }
    body.push({ type: 'Container', separator: true, items });
  }
  return {
    summary: `Lost-customer calls: ${open} to make`,
    card: card(body, { speak: `Lost-customer calls: ${open} to make`, fullWidth: true }),
  };
}

export function progressCard(progress: CampaignProgress, format: NumberFormat): CardMessage {
  const { campaign, callers, reasons } = progress;
  const done = callers.reduce((sum, caller) => sum + caller.done, 0);
  const open = callers.reduce((sum, caller) => sum + caller.open, 0);
  const byCaller = callers
    .slice(0, 40)
    .map((caller) => ({ title: cardUserText(caller.callerId, 60), value: `${caller.done} done, ${caller.open} open` }));
  const why = reasons.slice(0, 10).map((reason) => ({
    title: cardUserText(reason.reason, 80),
    value: `${reason.customers} (${formatMoney(reason.value, format)})`,
  }));
  return {
    summary: `Campaign #${campaign.number}: ${done} calls done, ${open} open`,
    card: card([
      text(`Campaign #${campaign.number}: ${cardUserText(campaign.name, 100)}`, { weight: 'Bolder', style: 'heading' }),
      text(`${campaign.status}, due ${campaign.dueOn} · **${done}** calls done · **${open}** open`, {
        spacing: 'None',
      }),
      text('By caller', { weight: 'Bolder' }),
      byCaller.length ? { type: 'FactSet', facts: byCaller } : text('No calls.', { isSubtle: true }),
      ...(callers.length > 40 ? [text(`…and ${callers.length - 40} more callers`, { isSubtle: true })] : []),
      text('Why they left, so far', { weight: 'Bolder' }),
      why.length ? { type: 'FactSet', facts: why } : text('Nobody reached yet.', { isSubtle: true }),
    ]),
  };
}

/** A multi-select sends its choices comma-separated, and a segment may hold a comma. */
export const segmentValue = (segment: string) => encodeURIComponent(segment);
export const segmentsFromValue = (value: string) =>
  value
    .split(',')
    .filter(Boolean)
    .map((one) => {
      try {
        return decodeURIComponent(one);
      } catch {
        return one;
      }
    });

/** The CCO's form. Callers are typed (emails or ids, comma-separated) or prefilled from the people mentioned. */
export function startFormCard(segments: string[], today: string, callers: string[] = []): AdaptiveCard {
  return card(
    [
      text('Start a lost-customer call campaign', { weight: 'Bolder', style: 'heading' }),
      {
        type: 'Input.Text',
        id: 'name',
        label: 'Campaign name',
        isRequired: true,
        errorMessage: 'Give the campaign a name.',
        maxLength: 100,
      },
      {
        type: 'Input.Date',
        id: 'lost_from',
        label: 'Customers lost from',
        isRequired: true,
        errorMessage: 'Choose when the period starts.',
      },
      {
        type: 'Input.Date',
        id: 'lost_until',
        label: 'Customers lost until',
        isRequired: true,
        errorMessage: 'Choose when the period ends.',
        value: today,
      },
      // A choice set with no choices is not a valid card: with no segments known yet, every lost customer is in.
      segments.length
        ? choiceSet(
            'segments',
            'Segments (all if none chosen)',
            segments.slice(0, 100).map((segment) => ({ title: segment, value: segmentValue(segment) })),
            { isMultiSelect: true, style: 'filtered', placeholder: 'All segments' },
          )
        : text('Segments: all (no lost customers have a segment yet).', { isSubtle: true }),
      { type: 'Input.Number', id: 'min_value', label: 'Minimum value lost', min: 0, placeholder: '0' },
      {
        type: 'Input.Text',
        id: 'callers',
        label: 'Callers: emails, separated by commas',
        isRequired: true,
        errorMessage: 'Name at least one caller.',
        maxLength: 5000,
        placeholder: 'dana@example.com, lee@example.com',
        ...(callers.length ? { value: callers.join(', ') } : {}),
      },
      {
        type: 'Input.Date',
        id: 'due_on',
        label: 'Calls due by',
        isRequired: true,
        errorMessage: 'Choose a due date.',
        min: today,
      },
      { type: 'Input.Text', id: 'guidance', label: 'Guidance for callers', isMultiline: true, maxLength: 2000 },
    ],
    { actions: [submit('Start campaign', { action: 'campaign_start' }, 'positive')] },
  );
}
