// A priority in Slack mrkdwn, apart from the message builders so the digest can use it too.
import type { PriorityStanding } from '../domain/priorities.js';
import type { PriorityOwner } from '../domain/priorityNotices.js';
import { aboutLine, measureWords, recentWeeksWords } from './priorityWords.js';
import { escapeMrkdwn } from './slackText.js';

/** A Slack owner is tagged (the id is checked to hold no formatting); one in Teams is named. */
export function ownerWords(owner: PriorityOwner): string {
  if (owner.platform === 'slack' && /^[UW][A-Z0-9]+$/.test(owner.userId)) return `<@${owner.userId}>`;
  return `${escapeMrkdwn(owner.name ?? owner.userId)}${owner.platform === 'teams' ? ' (in Teams)' : ''}`;
}

/** One priority in a line or two: what a list, the digest and the customer room share. */
export function standingText(standing: PriorityStanding): string {
  return `*#${standing.number} ${escapeMrkdwn(standing.title)}* · owner ${ownerWords(standing.owner)}\n${measureWords(standing)}\n_${recentWeeksWords(standing)} · about ${aboutLine(standing, escapeMrkdwn)}_`;
}
