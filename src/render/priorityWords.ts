// The words both platforms use for priorities, with every piece people wrote (titles, what
// the company stops doing, issue titles, names) passed through the platform's own escape.
import { perWeek, type PriorityStanding } from '../domain/priorities.js';
import type { PriorityFall } from '../domain/priorityNotices.js';

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** "last week 5 against a baseline of 8 a week · 2 of 4 weeks below · 1 so far this week". */
export function measureWords(standing: PriorityStanding): string {
  const last = standing.weeks.at(-1);
  const baseline = `a baseline of ${perWeek(standing.baseline)} a week`;
  const lastWeek = last
    ? `last week ${last.complaints} against ${baseline}`
    : `no complete week yet, against ${baseline}`;
  const progress = standing.done
    ? `done on ${standing.doneAt!.slice(0, 10)}`
    : standing.ready
      ? `${standing.weeksBelow} weeks below: ready to be marked done`
      : `${standing.weeksBelow} of ${plural(standing.quietWeeks, 'week', 'weeks')} below`;
  return `${lastWeek} · ${progress} · ${standing.thisWeekSoFar} so far this week`;
}

/** The complaints of the complete weeks since it started, oldest first, the last eight of them. */
export function recentWeeksWords(standing: PriorityStanding): string {
  const weeks = standing.weeks.slice(-8);
  if (!weeks.length) return `started ${standing.startedOn}`;
  return `started ${standing.startedOn} · complaints a week: ${weeks.map((week) => week.complaints).join(', ')}`;
}

export function aboutLine(standing: PriorityStanding, quote: (text: string) => string): string {
  return standing.about.map(quote).join('; ');
}

export function fallLine(title: string, fall: PriorityFall, quote: (text: string) => string): string {
  return `Complaints about ${quote(title)} fell from ${fall.before} to ${fall.after} in four weeks since ${fall.since}.`;
}

export const prioritiesTitle = 'Priorities';
