// The outbox's messages as Slack posts: announcements of what changed, thank-you notes to
// the people who logged the feedback, and a heads-up when a fixed issue comes back.
import { sourceWords } from '../domain/feedback.js';
import type { NoticeContent } from '../domain/notices.js';
import { formatMoney, type NumberFormat } from '../domain/numbers.js';
import type { SlackMessage } from './digestSlack.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import { priorityNoticeToSlack } from './prioritySlack.js';
import { warningToSlack } from './warningSlack.js';

const section = (text: string) => ({
  type: 'section' as const,
  text: { type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) },
});
const context = (text: string) => ({
  type: 'context' as const,
  elements: [{ type: 'mrkdwn' as const, text: fitText(text, blockKitLimits.sectionText) }],
});

/**
 * Most notices render from what they carry; a caller's list is read fresh when it is sent,
 * so the cards show calls as they are (reassigned, already logged).
 */
export function noticeToSlack(
  content: Exclude<NoticeContent, { kind: 'campaignCalls' }>,
  format: NumberFormat,
): SlackMessage {
  switch (content.kind) {
    case 'hopeAnnouncement': {
      const via = content.sources.length
        ? ` via ${content.sources.map((source) => sourceWords[source]).join(', ')}`
        : '';
      return {
        text: escapeMrkdwn(`You told us: ${content.title}. Here is what we changed.`),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'You told us. We changed it.' } },
          section(
            `*You told us:* ${escapeMrkdwn(content.title)}\n_${content.reports} ${content.reports === 1 ? 'report' : 'reports'}${via} · ${escapeMrkdwn(content.stageName)} › ${escapeMrkdwn(content.categoryName)}_`,
          ),
          section(`*What we changed:* ${escapeMrkdwn(content.whatChanged)}`),
          context(
            `Issue #${content.issueNumber}. Thank you to everyone who passed this on: keep telling us with \`/feedback\`.`,
          ),
        ],
      };
    }
    case 'hopeThanks': {
      const numbers = content.feedbackNumbers.map((number) => `#${number}`).join(', ');
      return {
        text: escapeMrkdwn(`Thank you: the feedback you logged helped fix "${content.title}".`),
        blocks: [
          section(
            `:raised_hands: *Thank you.* The feedback you logged (${numbers}) about “${escapeMrkdwn(content.title)}” helped us fix it.`,
          ),
          section(`*What changed:* ${escapeMrkdwn(content.whatChanged)}`),
          context(
            `Issue #${content.issueNumber}. If customers still raise it, log it again: the issue reopens and the person who resolved it hears about it.`,
          ),
        ],
      };
    }
    case 'issueReopened':
      return {
        text: escapeMrkdwn(`Issue #${content.issueNumber} is open again: customers are still raising it.`),
        blocks: [
          section(
            `:rewind: *Issue #${content.issueNumber} “${escapeMrkdwn(content.title)}” is open again.* New feedback #${content.feedbackNumber}: “${escapeMrkdwn(content.feedbackSummary)}”`,
          ),
          context(
            `You resolved it on ${content.resolvedAt.slice(0, 10)} with: “${escapeMrkdwn(content.whatChanged)}”. \`/issues\` lists it; \`/resolve ${content.issueNumber} …\` when it is fixed again.`,
          ),
        ],
      };
    case 'campaignReminder':
      return {
        text: escapeMrkdwn(
          `Reminder: ${content.open} lost-customer calls still open for ${content.name}, due ${content.dueOn}.`,
        ),
        blocks: [
          section(
            `:alarm_clock: *${content.open} ${content.open === 1 ? 'call is' : 'calls are'} still open* in campaign #${content.campaignNumber} “${escapeMrkdwn(content.name)}”, due ${content.dueOn}. Your list is in your earlier message from me.`,
          ),
        ],
      };
    case 'campaignSummary': {
      const reasons = content.reasons
        .slice(0, 8)
        .map(
          (reason) => `• ${escapeMrkdwn(reason.reason)}: ${reason.customers} (${formatMoney(reason.value, format)})`,
        );
      return {
        text: escapeMrkdwn(`Campaign #${content.campaignNumber} closed: ${content.reached} lost customers reached.`),
        blocks: [
          {
            type: 'header',
            text: {
              type: 'plain_text',
              text: fitText(`Why customers left: ${content.name}`, blockKitLimits.headerText),
            },
          },
          section(
            `Campaign #${content.campaignNumber} is closed. *${content.reached}* lost customers reached, ${content.unreachable} not reached, ${content.open} not called.`,
          ),
          section(`*What they told us*\n${reasons.join('\n') || '_Nobody was reached._'}`),
        ],
      };
    }
    case 'earlyWarning':
    case 'earlyWarningSummary':
      return warningToSlack(content, format);
    case 'priorityDone':
    case 'priorityThanks':
      return priorityNoticeToSlack(content);
  }
}
