// The customer room agenda as Slack blocks and as an Adaptive Card: four items in the book's
// order, each in a few lines. Words from customers and the company language go through the
// platform's own escape (`quote`).
import type { CustomerRoomAgenda } from '../domain/customerRoomAgenda.js';
import { formatMoney, formatSignedCount, formatSignedMoney } from '../domain/numbers.js';
import type { PriorityStanding } from '../domain/priorities.js';
import { card, text, type AdaptiveCard } from './adaptiveCard.js';
import { cardUserText, escapeCardMarkdown } from './cardText.js';
import type { SlackMessage } from './digestSlack.js';
import { standingElements } from './priorityCard.js';
import { standingText } from './priorityMrkdwn.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import { earlyWarningLines } from './warningWords.js';

export const customerRoomTitle = 'Customer room agenda';

interface Item {
  title: string;
  lines: string[];
}

/** Items 1 to 3 in plain lines; the priorities are drawn by each platform's own priority lines. */
function agendaItems(agenda: CustomerRoomAgenda, quote: (text: string) => string): Item[] {
  const { total } = agenda.growth;
  const week = total.current;
  const growth = [
    quote(agenda.growth.answer),
    `Won ${week.won.customers} (${formatMoney(week.won.value, agenda.format)}), lost ${week.lost.customers} (${formatMoney(week.lost.value, agenda.format)}), net ${formatSignedCount(week.netCustomers)} customers, ${formatSignedMoney(week.netValue, agenda.format)}; ${agenda.words.previous} net ${formatSignedCount(total.compared[0]!.netCustomers)}.`,
  ];
  const stages = agenda.journey.stages
    .slice(0, 8)
    .map(
      (stage) =>
        `${quote(stage.stageName)}: ${stage.reports} ${stage.reports === 1 ? 'report' : 'reports'} (${agenda.words.previous} ${stage.previous})${stage.issues[0] ? `, most about #${stage.issues[0].number} ${quote(stage.issues[0].title)}` : ''}`,
    );
  const warnings = earlyWarningLines(agenda.journey.warnings, quote);
  const journey = [...warnings, ...stages];
  const reasons = agenda.departures.reasons.map(
    (reason) =>
      `${quote(reason.reason)}: ${reason.customers} ${reason.customers === 1 ? 'customer' : 'customers'} (${formatMoney(reason.value, agenda.format)})`,
  );
  const calls = agenda.departures.calls
    .slice(0, 5)
    .map(
      (call) =>
        `Heard on calls: ${quote(call.reason)}${call.stageName ? ` (${quote(call.stageName)})` : ''}: ${call.customers} ${call.customers === 1 ? 'customer' : 'customers'}`,
    );
  return [
    { title: `1. ${agenda.growth.question}`, lines: growth },
    {
      title: '2. Where on the journey we helped or hindered it',
      lines: journey.length ? journey : [`No complaints, moments below standard or spikes ${agenda.words.current}.`],
    },
    {
      title: '3. Why customers left',
      lines: [...reasons, ...calls].length
        ? [...reasons, ...calls]
        : [`No customer was lost with a reason ${agenda.words.current}.`],
    },
  ];
}

const prioritiesTitle = '4. Where each priority stands';
const noPriorities = (words: (command: string) => string) =>
  `No priority is open: ${words('priorities add')} sets one. The book recommends 5 to 10 at a time.`;

/** "About the week of 17–23 Nov 2026", "About October 2026". */
const aboutWords = (agenda: CustomerRoomAgenda, quoted: (words: string) => string) =>
  `About ${agenda.period.kind === 'week' ? 'the ' : ''}${quoted(agenda.title)}`;

export function customerRoomToSlack(agenda: CustomerRoomAgenda): SlackMessage {
  const section = (words: string) => ({
    type: 'section' as const,
    text: { type: 'mrkdwn' as const, text: fitText(words, blockKitLimits.sectionText) },
  });
  const items = agendaItems(agenda, escapeMrkdwn);
  const priorities: PriorityStanding[] = agenda.priorities.slice(0, 10);
  return {
    text: `Customer room agenda, ${escapeMrkdwn(agenda.title)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: customerRoomTitle } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `${aboutWords(agenda, escapeMrkdwn)}, in the order the room takes it.` }],
      },
      ...items.map((item) => section(`*${item.title}*\n${item.lines.map((line) => `• ${line}`).join('\n')}`)),
      section(
        [
          `*${prioritiesTitle}*`,
          ...(priorities.length ? priorities.map(standingText) : [noPriorities((command) => `\`/${command}\``)]),
        ].join('\n\n'),
      ),
    ],
  };
}

export function customerRoomToCard(agenda: CustomerRoomAgenda): AdaptiveCard {
  const items = agendaItems(agenda, (words) => cardUserText(words, 200));
  return card(
    [
      text(customerRoomTitle, { weight: 'Bolder', style: 'heading', size: 'Medium' }),
      text(`${aboutWords(agenda, escapeCardMarkdown)}, in the order the room takes it.`, {
        isSubtle: true,
        size: 'Small',
      }),
      ...items.flatMap((item) => [
        text(item.title, { weight: 'Bolder', spacing: 'Medium' }),
        ...item.lines.map((line) => text(`- ${line}`, { spacing: 'None' })),
      ]),
      text(prioritiesTitle, { weight: 'Bolder', spacing: 'Medium' }),
      ...(agenda.priorities.length
        ? agenda.priorities.slice(0, 10).flatMap(standingElements)
        : [text(noPriorities((command) => `**${command}**`))]),
    ],
    { fullWidth: true },
  );
}
