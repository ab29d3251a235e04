// The customer room as a Slack Home tab view. Buttons reuse the bot's own actions: a call's
// "Log call" and "Couldn't reach", an issue's "Resolve…", so acting from the room is acting.
import type { CustomerRoom, RoomCall, RoomPriority, RoomStage } from '../domain/customerRoom.js';
import type { Movement, Tally } from '../domain/assets.js';
import { formatMoney, formatSignedCount, formatSignedMoney, type NumberFormat } from '../domain/numbers.js';
import type { SlackBlock } from './blockKitHtml.js';
import { movementChartBlocks, type SlackImageSource } from './digestSlack.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import { earlyWarningLines } from './warningWords.js';

export interface HomeView {
  type: 'home';
  blocks: SlackBlock[];
}

/** Slack's limit for a view (messages have 50). */
export const blocksPerView = 100;

const mrkdwn = (text: string, max: number = blockKitLimits.sectionText) => ({
  type: 'mrkdwn' as const,
  text: fitText(text, max),
});
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });
const context = (text: string): SlackBlock => ({ type: 'context', elements: [mrkdwn(text)] });
const heading = (text: string): SlackBlock[] => [{ type: 'divider' }, section(`*${text}*`)];

function assetFields(room: CustomerRoom): SlackBlock {
  const line = room.asset;
  const field = (label: string, read: (movement: Movement) => Tally) =>
    mrkdwn(
      `*${label}*\n*${read(line.current).customers}* · ${formatMoney(read(line.current).value, room.format)}\n_last week ${read(line.compared[0]!).customers} · 4-week avg ${read(line.compared[1]!).customers}_`,
      blockKitLimits.fieldText,
    );
  return {
    type: 'section',
    fields: [
      field('Customers won', (movement) => movement.won),
      field('Customers lost', (movement) => movement.lost),
      field('Came back', (movement) => movement.reactivated),
      mrkdwn(
        `*Net change*\n*${formatSignedCount(line.current.netCustomers)}* customers · ${formatSignedMoney(line.current.netValue, room.format)}\n_last week ${formatSignedCount(line.compared[0]!.netCustomers)} · 4-week avg ${formatSignedCount(line.compared[1]!.netCustomers)}_`,
        blockKitLimits.fieldText,
      ),
    ],
  };
}

function priorityBlocks(priorities: RoomPriority[]): SlackBlock[] {
  const lines = priorities.map(
    (priority) =>
      `${priority.done ? ':white_check_mark:' : '•'} *#${priority.number}* ${escapeMrkdwn(priority.title)}${priority.stageName ? ` (${escapeMrkdwn(priority.stageName)})` : ''}: ${escapeMrkdwn(priority.status)}`,
  );
  return [...heading('Priorities'), section(lines.length ? lines.join('\n') : '_No priorities set yet._')];
}

function stageBlocks(stages: RoomStage[]): SlackBlock[] {
  if (!stages.length)
    return [
      ...heading('Top issues by stage'),
      section('_No open issues. Feedback logged with `/feedback` rolls up into issues here._'),
    ];
  return [
    ...heading('Top issues by stage'),
    ...stages.flatMap((stage) => [
      context(`*${escapeMrkdwn(stage.stageName)}*`),
      ...stage.issues.map(
        (issue): SlackBlock => ({
          type: 'section',
          block_id: `issue:${issue.number}`,
          text: mrkdwn(
            `*#${issue.number}* ${escapeMrkdwn(issue.title)}\n${escapeMrkdwn(issue.categoryName)} · ${issue.feedbackCount} ${issue.feedbackCount === 1 ? 'report' : 'reports'}`,
          ),
          accessory: {
            type: 'button',
            action_id: 'issue_resolve',
            value: String(issue.number),
            text: { type: 'plain_text', text: 'Resolve…' },
          },
        }),
      ),
    ]),
  ];
}

function callBlocks(calls: RoomCall[], format: NumberFormat): SlackBlock[] {
  if (!calls.length) return [];
  return [
    ...heading(`Your open calls (${calls.length})`),
    ...calls.flatMap((call): SlackBlock[] => [
      section(
        `*${escapeMrkdwn(call.customerName)}* · ${escapeMrkdwn(call.segment)} · lost ${formatMoney(call.valueLost, format)}\n${call.contact ? `Contact: ${escapeMrkdwn(call.contact)} · ` : ''}campaign #${call.campaignNumber} ${escapeMrkdwn(call.campaignName)}, due ${call.dueOn}`,
      ),
      {
        type: 'actions',
        block_id: `call:${call.callId}`,
        elements: [
          {
            type: 'button',
            action_id: 'call_log',
            text: { type: 'plain_text', text: 'Log call' },
            style: 'primary',
            value: call.callId,
          },
          {
            type: 'button',
            action_id: 'call_unreachable',
            text: { type: 'plain_text', text: "Couldn't reach" },
            value: call.callId,
          },
        ],
      },
    ]),
  ];
}

/** The Home tab; `chart` is the uploaded movement chart, when it could be uploaded. */
export function customerRoomView(room: CustomerRoom, chart?: SlackImageSource): HomeView {
  const warnings = room.warnings
    ? earlyWarningLines(room.warnings, escapeMrkdwn)
        .map((line) => `• ${line}`)
        .join('\n')
    : '_No early warnings: every moment that matters met its standard, and complaints ran as usual._';
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'The customer room' } },
    section(`*${escapeMrkdwn(room.question)}*\n${escapeMrkdwn(room.answer)}`),
    context(
      `${escapeMrkdwn(room.title[0]!.toUpperCase() + room.title.slice(1))} · whole customers, never rates · fresh each time you open this tab`,
    ),
    assetFields(room),
    ...(room.history ? movementChartBlocks(room.history, chart) : []),
    ...heading('Early warning'),
    section(warnings),
    ...priorityBlocks(room.priorities),
    ...stageBlocks(room.stages),
    ...callBlocks(room.openCalls, room.format),
  ];
  return { type: 'home', blocks: blocks.slice(0, blocksPerView) };
}
