// What the bot says when something of ours failed, the same words on every path and both platforms.
import { commandFor, type Platform } from '../domain/people.js';

/** For a failed request that may have got part way: it promises nothing it cannot know. */
export function unfinishedWords(platform: Platform): string {
  return `Something went wrong on our side and I could not finish that, so I cannot confirm whether it was saved. Please check in a minute (${commandFor(platform, 'issues')} shows issues and where feedback went) before trying again.`;
}

/** Said when storing feedback itself failed: logging throws only before the feedback is stored. */
export const notStoredWords =
  'Something went wrong on our side and nothing was saved. Please try again in a minute; it will not be counted twice.';
