// The customer room as one Adaptive Card for Teams' `home` command: the same room as the
// Slack Home tab, with the same actions as the call cards and the issues list.
import type { Vocabulary } from '../domain/classification.js';
import type { CustomerRoom } from '../domain/customerRoom.js';
import { formatMoney, formatSignedCount, formatSignedMoney } from '../domain/numbers.js';
import { card, submit, text, type CardElement, type CardMessage } from './adaptiveCard.js';
import { callForm } from './campaignCard.js';
import { cardUserText, escapeCardMarkdown } from './cardText.js';
import { movementChartElements } from './digestCard.js';
import { whatChangedInput } from './feedbackCard.js';
import { earlyWarningLines } from './warningWords.js';

const block = (items: CardElement[]): CardElement => ({ type: 'Container', separator: true, spacing: 'Medium', items });

/** `chartUrl`: where Teams can fetch the chart; without it the card carries the chart's words only. */
export function customerRoomCard(room: CustomerRoom, vocabulary: Vocabulary, chartUrl?: string): CardMessage {
  const week = room.asset.current;
  const body: CardElement[] = [
    text('The customer room', { size: 'Large', weight: 'Bolder', style: 'heading' }),
    text(`**${escapeCardMarkdown(room.question)}** ${escapeCardMarkdown(room.answer)}`, { spacing: 'Small' }),
    text(
      `${escapeCardMarkdown(room.title[0]!.toUpperCase() + room.title.slice(1))} · whole customers, never rates · type **home** to refresh`,
      {
        isSubtle: true,
        size: 'Small',
        spacing: 'Small',
      },
    ),
    {
      type: 'FactSet',
      facts: [
        { title: 'Customers won', value: `**${week.won.customers}** · ${formatMoney(week.won.value, room.format)}` },
        { title: 'Customers lost', value: `**${week.lost.customers}** · ${formatMoney(week.lost.value, room.format)}` },
        { title: 'Came back', value: `**${week.reactivated.customers}**` },
        {
          title: 'Net change',
          value: `**${formatSignedCount(week.netCustomers)}** customers · ${formatSignedMoney(week.netValue, room.format)} · last week ${formatSignedCount(room.asset.compared[0]!.netCustomers)}`,
        },
      ],
    },
    ...(room.history ? movementChartElements(room.history, chartUrl) : []),
    block([
      text('Early warning', { weight: 'Bolder' }),
      ...(room.warnings
        ? earlyWarningLines(room.warnings, (words) => cardUserText(words, 120)).map((line) =>
            text(`- ${line}`, { spacing: 'None' }),
          )
        : [text('No early warnings this week.', { isSubtle: true, spacing: 'None' })]),
    ]),
  ];
  body.push(
    block([
      text('Priorities', { weight: 'Bolder' }),
      ...(room.priorities.length
        ? room.priorities.map((priority) =>
            text(
              `${priority.done ? '✅' : '-'} **#${priority.number}** ${cardUserText(priority.title, 150)}${priority.stageName ? ` (${cardUserText(priority.stageName, 60)})` : ''}: ${cardUserText(priority.status, 200)}`,
              { spacing: 'None' },
            ),
          )
        : [text('No priorities set yet.', { isSubtle: true, spacing: 'None' })]),
    ]),
  );
  body.push(
    block([
      text('Top issues by stage', { weight: 'Bolder' }),
      ...(room.stages.length
        ? room.stages.flatMap((stage) => [
            text(`**${cardUserText(stage.stageName, 80)}**`, { spacing: 'Small' }),
            ...stage.issues.flatMap((issue): CardElement[] => [
              text(
                `#${issue.number} ${cardUserText(issue.title, 150)} · ${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}`,
                { spacing: 'None' },
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
                        submit(
                          `Resolve #${issue.number}`,
                          { action: 'issue_resolve', issue: issue.number },
                          'positive',
                        ),
                      ],
                    },
                  },
                ],
              },
            ]),
          ])
        : [text('No open issues.', { isSubtle: true, spacing: 'None' })]),
    ]),
  );
  if (room.openCalls.length)
    body.push(
      block([
        text(`Your open calls (${room.openCalls.length})`, { weight: 'Bolder' }),
        ...room.openCalls.flatMap((call): CardElement[] => [
          text(
            `**${cardUserText(call.customerName, 150)}** · ${cardUserText(call.segment, 100)} · lost ${formatMoney(call.valueLost, room.format)}${call.contact ? ` · ${cardUserText(call.contact, 200)}` : ''} · campaign #${call.campaignNumber}, due ${call.dueOn}`,
          ),
          {
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
          },
        ]),
      ]),
    );
  return { summary: `The customer room: ${room.answer}`, card: card(body, { speak: room.answer, fullWidth: true }) };
}
