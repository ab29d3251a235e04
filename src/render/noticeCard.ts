// The outbox's messages as Adaptive Cards for Teams: what changed, thank-you notes,
// a fixed issue coming back, campaign reminders and summaries. The caller's list of
// calls is in campaignCard.ts, read fresh when it is sent.
import { sourceWords } from '../domain/feedback.js';
import type { NoticeContent } from '../domain/notices.js';
import { formatMoney, type NumberFormat } from '../domain/numbers.js';
import { card, text, type CardMessage } from './adaptiveCard.js';
import { cardUserText } from './cardText.js';
import { priorityNoticeToCard } from './priorityCard.js';
import { warningToCard } from './warningCard.js';

export type { CardMessage } from './adaptiveCard.js';

export function noticeToCard(
  content: Exclude<NoticeContent, { kind: 'campaignCalls' }>,
  format: NumberFormat,
): CardMessage {
  switch (content.kind) {
    case 'hopeAnnouncement': {
      const via = content.sources.length
        ? ` via ${content.sources.map((source) => sourceWords[source]).join(', ')}`
        : '';
      return {
        summary: 'You told us. We changed it.',
        card: card([
          text('You told us. We changed it.', { weight: 'Bolder', style: 'heading', size: 'Medium' }),
          text(`**You told us:** ${cardUserText(content.title, 300)}`),
          text(
            `${content.reports} ${content.reports === 1 ? 'report' : 'reports'}${via} · ${cardUserText(content.stageName, 100)} › ${cardUserText(content.categoryName, 100)}`,
            { isSubtle: true, spacing: 'None' },
          ),
          text(`**What we changed:** ${cardUserText(content.whatChanged, 1500)}`),
          text(
            `Issue #${content.issueNumber}. Thank you to everyone who passed this on: keep telling us with **feedback**.`,
            { isSubtle: true, size: 'Small' },
          ),
        ]),
      };
    }
    case 'hopeThanks': {
      const numbers = content.feedbackNumbers.map((number) => `#${number}`).join(', ');
      return {
        summary: 'Thank you: the feedback you logged helped fix something.',
        card: card([
          text('Thank you.', { weight: 'Bolder', style: 'heading' }),
          text(`The feedback you logged (${numbers}) about “${cardUserText(content.title, 300)}” helped us fix it.`),
          text(`**What changed:** ${cardUserText(content.whatChanged, 1500)}`),
          text(
            `Issue #${content.issueNumber}. If customers still raise it, log it again: the issue reopens and the person who resolved it hears about it.`,
            { isSubtle: true, size: 'Small' },
          ),
        ]),
      };
    }
    case 'issueReopened':
      return {
        summary: `Issue #${content.issueNumber} is open again: customers are still raising it.`,
        card: card([
          text(`Issue #${content.issueNumber} is open again`, { weight: 'Bolder', style: 'heading' }),
          text(
            `“${cardUserText(content.title, 300)}”: new feedback #${content.feedbackNumber}: “${cardUserText(content.feedbackSummary, 300)}”`,
          ),
          text(
            `You resolved it on ${content.resolvedAt.slice(0, 10)} with: “${cardUserText(content.whatChanged, 600)}”. **issues** lists it; **resolve ${content.issueNumber} …** when it is fixed again.`,
            { isSubtle: true },
          ),
        ]),
      };
    case 'campaignReminder':
      return {
        summary: `Reminder: ${content.open} lost-customer ${content.open === 1 ? 'call' : 'calls'} still open, due ${content.dueOn}.`,
        card: card([
          text('Lost-customer calls: a reminder', { weight: 'Bolder', style: 'heading' }),
          text(
            `**${content.open} ${content.open === 1 ? 'call is' : 'calls are'} still open** in campaign #${content.campaignNumber} “${cardUserText(content.name, 100)}”, due ${content.dueOn}. Your list is in your earlier message from me.`,
          ),
        ]),
      };
    case 'campaignSummary': {
      const reasons = content.reasons.slice(0, 8).map((reason) => ({
        title: cardUserText(reason.reason, 80),
        value: `${reason.customers} (${formatMoney(reason.value, format)})`,
      }));
      return {
        summary: `Campaign #${content.campaignNumber} closed: ${content.reached} lost customers reached.`,
        card: card([
          text(`Why customers left: ${cardUserText(content.name, 100)}`, {
            weight: 'Bolder',
            style: 'heading',
            size: 'Medium',
          }),
          text(
            `Campaign #${content.campaignNumber} is closed. **${content.reached}** lost customers reached, ${content.unreachable} not reached, ${content.open} not called.`,
          ),
          text('What they told us', { weight: 'Bolder' }),
          reasons.length ? { type: 'FactSet', facts: reasons } : text('Nobody was reached.', { isSubtle: true }),
        ]),
      };
    }
    case 'earlyWarning':
    case 'earlyWarningSummary':
      return warningToCard(content, format);
    case 'priorityDone':
    case 'priorityThanks':
      return priorityNoticeToCard(content);
  }
}
