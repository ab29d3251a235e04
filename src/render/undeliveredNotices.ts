// Words for the notices the outbox gave up on (`/cco undelivered`, `cco undelivered`): what
// each was, to whom, why it never arrived and when the bot stopped trying. Titles, campaign
// names and platform errors are data: they are shortened and escaped, never formatting.
import type { NoticeContent, UndeliveredNotice } from '../domain/notices.js';
import type { Platform } from '../domain/people.js';
import { answerCard, type AdaptiveCard } from './adaptiveCard.js';
import { cardUserText } from './cardText.js';
import { escapeMrkdwn, fitText } from './slackText.js';

const platformNames: Record<Platform, string> = { slack: 'Slack', teams: 'Teams' };

/** What the notice was, with its user-written part passed through `quote`. */
function what(content: NoticeContent, quote: (text: string) => string): string {
  switch (content.kind) {
    case 'hopeAnnouncement':
      return `the announcement that issue #${content.issueNumber} ${quote(content.title)} was fixed`;
    case 'hopeThanks':
      return `a thank-you for reporting issue #${content.issueNumber} ${quote(content.title)}`;
    case 'issueReopened':
      return `the alert that fixed issue #${content.issueNumber} ${quote(content.title)} is back`;
    case 'campaignCalls':
      return `call list${content.part ? ` (part ${content.part + 1})` : ''} for campaign #${content.campaignNumber} ${quote(content.name)}`;
    case 'campaignReminder':
      return `a reminder for campaign #${content.campaignNumber} ${quote(content.name)}`;
    case 'campaignSummary':
      return `the closing summary of campaign #${content.campaignNumber} ${quote(content.name)}`;
    case 'earlyWarning':
      return `an early warning about ${quote(content.story.moment?.name ?? content.story.categoryName ?? content.story.stageName)}`;
    case 'earlyWarningSummary':
      return `a summary of ${content.headlines.length} early warnings`;
    case 'priorityDone':
      return `the announcement that priority #${content.priorityNumber} ${quote(content.title)} is done`;
    case 'priorityThanks':
      return `a thank-you for reporting complaints priority #${content.priorityNumber} ${quote(content.title)} answered`;
  }
}

function why(notice: UndeliveredNotice, error: string): string {
  const platform = platformNames[notice.platform];
  switch (notice.because) {
    case 'refused':
      return `${platform} refused it for good (${error})`;
    case 'tooManyAttempts':
      return `it failed ${notice.attempts} times; last: ${error}`;
    case 'platformRemoved':
      return `the app was removed from ${platform}`;
  }
}

const emptyWords = 'Every notice was delivered: none were given up.';
const moreWords = (shown: number, total: number) =>
  total > shown ? `Showing the ${shown} most recent of ${total}.` : '';

/** Slack mrkdwn: people and channels of this workspace as mentions Slack draws (no ping in an ephemeral list), times in the reader's zone. */
export function undeliveredToSlack(notices: UndeliveredNotice[], total: number): string {
  if (!notices.length) return emptyWords;
  const quote = (text: string) => `“${escapeMrkdwn(fitText(text, 80))}”`;
  const to = (notice: UndeliveredNotice) => {
    const id = escapeMrkdwn(notice.target);
    if (notice.platform === 'teams')
      return notice.toUser ? `a person in Teams (${id})` : `a Teams conversation (${id})`;
    // Slack ids are [A-Z0-9]; anything else is shown as text rather than trusted inside <...>.
    if (!/^[A-Z0-9]+$/.test(notice.target)) return id;
    return notice.toUser ? `<@${notice.target}>` : `<#${notice.target}>`;
  };
  const when = (date: Date) =>
    `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
  const lines = notices.map(
    (notice) =>
      `• ${what(notice.content, quote)} to ${to(notice)}: ${why(notice, escapeMrkdwn(fitText(notice.lastError, 200)))}. Given up ${when(notice.givenUpAt)}.`,
  );
  return [`*Undelivered notices* (the bot stopped trying these):`, ...lines, moreWords(notices.length, total)]
    .filter(Boolean)
    .join('\n');
}

/** An Adaptive Card: Teams has no way to draw a Slack mention, so ids are shown as text; dates use the card's DATE/TIME functions. */
export function undeliveredToCard(notices: UndeliveredNotice[], total: number): AdaptiveCard {
  if (!notices.length) return answerCard('Undelivered notices', [emptyWords]);
  const quote = (text: string) => `“${cardUserText(text, 80)}”`;
  const to = (notice: UndeliveredNotice) => {
    const id = cardUserText(notice.target, 100);
    const platform = platformNames[notice.platform];
    return notice.toUser
      ? `a person in ${platform} (${id})`
      : `a ${platform} ${notice.platform === 'slack' ? 'channel' : 'conversation'} (${id})`;
  };
  const when = (date: Date) => {
    const iso = `${date.toISOString().slice(0, 19)}Z`;
    return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
  };
  const lines = notices.map(
    (notice) =>
      `- ${what(notice.content, quote)} to ${to(notice)}: ${why(notice, cardUserText(notice.lastError, 200))}. Given up ${when(notice.givenUpAt)}.`,
  );
  return answerCard(
    'Undelivered notices',
    ['The bot stopped trying these:', lines.join('\n'), moreWords(notices.length, total)].filter(Boolean),
  );
}
