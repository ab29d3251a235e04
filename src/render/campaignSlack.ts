// A caller's list as Slack cards, the call log form's choices, and campaign progress.
// Contact details appear only here, in the caller's own direct message.
import type { CallListHeading, CallCard, CampaignProgress } from '../domain/campaigns.js';
import { formatMoney, type NumberFormat } from '../domain/numbers.js';
import type { SlackBlock } from './blockKitHtml.js';
import type { SlackMessage } from './digestSlack.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text: fitText(text, blockKitLimits.sectionText) },
});

const statusWords: Record<CallCard['status'], string> = {
  open: ':telephone_receiver: to call',
  reached: ':white_check_mark: reached',
  unreachable: ':no_entry_sign: could not reach',
};

export function callListMessage(heading: CallListHeading, cards: CallCard[], format: NumberFormat): SlackMessage {
  const open = cards.filter((card) => card.status === 'open').length;
  const blocks: SlackBlock[] = [
    section(
      `*Lost-customer calls: ${escapeMrkdwn(heading.name)}* (campaign #${heading.campaignNumber}${heading.part ? `, list ${heading.part + 1}` : ''})\n${open} of ${cards.length} still to call · due ${heading.dueOn}${heading.guidance ? `\n_${escapeMrkdwn(heading.guidance)}_` : ''}`,
    ),
  ];
  for (const card of cards) {
    const lost = new Intl.DateTimeFormat(format.locale, {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(card.lostAt));
    blocks.push(
      section(
        `*${escapeMrkdwn(card.customerName)}* · ${escapeMrkdwn(card.segment)} · lost ${formatMoney(card.valueLost, format)} on ${lost}\n${card.contact ? `Contact: ${escapeMrkdwn(card.contact)} · ` : ''}${statusWords[card.status]}${card.reason ? ` · ${escapeMrkdwn(card.reason)}` : ''}`,
      ),
    );
    if (card.status === 'open') {
      blocks.push({
        type: 'actions',
        block_id: `call:${card.callId}`,
        elements: [
          {
            type: 'button',
            action_id: 'call_log',
            text: { type: 'plain_text', text: 'Log call' },
            style: 'primary',
            value: card.callId,
          },
          {
            type: 'button',
            action_id: 'call_unreachable',
            text: { type: 'plain_text', text: "Couldn't reach" },
            value: card.callId,
          },
        ],
      });
    }
  }
  return {
    text: `Lost-customer calls: ${open} to make for ${heading.name}`,
    blocks: blocks.slice(0, blockKitLimits.blocksPerMessage),
  };
}

export function progressMessage(progress: CampaignProgress, format: NumberFormat): SlackMessage {
  const { campaign, callers, reasons } = progress;
  const done = callers.reduce((sum, caller) => sum + caller.done, 0);
  const open = callers.reduce((sum, caller) => sum + caller.open, 0);
  const byCaller = callers
    .slice(0, 40)
    .map((caller) => `• <@${caller.callerId}>: ${caller.done} done, ${caller.open} open`);
  const why = reasons
    .slice(0, 10)
    .map((reason) => `• ${escapeMrkdwn(reason.reason)}: ${reason.customers} (${formatMoney(reason.value, format)})`);
  return {
    text: `Campaign #${campaign.number}: ${done} calls done, ${open} open`,
    blocks: [
      section(
        `*Campaign #${campaign.number}: ${escapeMrkdwn(campaign.name)}* (${campaign.status}, due ${campaign.dueOn})\n*${done}* calls done · *${open}* open`,
      ),
      section(
        `*By caller*\n${byCaller.join('\n') || '_No calls._'}${callers.length > 40 ? `\n_…and ${callers.length - 40} more callers_` : ''}`,
      ),
      section(`*Why they left, so far*\n${why.join('\n') || '_Nobody reached yet._'}`),
    ],
  };
}
