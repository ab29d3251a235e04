// Priorities for the local preview, added as a CCO adds them, with the earlier complaints
// that make their measure: renewal price rises, started three weeks before the week just ended
// and below their baseline since the week after; and calls answered the first time, started
// last week. Loaded once: only while there are no priorities at all.
import { addDays, weekJustEnded, type WeekStart } from '../domain/weeks.js';
import type { Services } from '../services.js';
import type { Db } from '../store/database.js';
import { demoCco, demoLeader } from './demoPeople.js';

const renewals = [
  'The renewal price went up with no warning and nobody explained why.',
  'Our renewal price went up again with no warning, we are looking at cheaper options.',
  'Customer upset that the renewal price went up with no warning.',
  'The price went up at renewal with no warning, they want to talk about cheaper options.',
  'Renewal price went up with no warning, second customer this week looking at cheaper options.',
];
const calls = [
  'Waited on hold for 35 minutes before an agent answered.',
  'The agent promised a call back and nobody rang, so I waited on hold again.',
];

/** Earlier complaints, weeks before the week just ended: [text, weeks ago, how many]. */
function earlierComplaints(): Array<[string, number]> {
  // Renewal prices: about 4.4 a week for the 8 weeks before its start, then 5, 2 (and the demo's own 0 and 1).
  const renewalWeeks: Array<[number, number]> = [
    [11, 4],
    [10, 5],
    [9, 4],
    [8, 5],
    [7, 4],
    [6, 5],
    [5, 4],
    [4, 4],
    [3, 5],
    [2, 2],
  ];
  const rows: Array<[string, number]> = [];
  for (const [weeksAgo, count] of renewalWeeks)
    for (let index = 0; index < count; index++) rows.push([renewals[(weeksAgo + index) % renewals.length]!, weeksAgo]);
  // Calls: 2 a week before last week's start (and the demo's own 1 the week before).
  for (let weeksAgo = 2; weeksAgo <= 8; weeksAgo++) for (const text of calls) rows.push([text, weeksAgo]);
  return rows;
}

export async function loadDemoPriorities(services: Services, db: Db, now: Date, timeZone: string): Promise<number> {
  if ((await db.priority.count()) > 0) return 0;
  const lastWeek = weekJustEnded(now, timeZone);
  for (const [index, [text, weeksAgo]] of earlierComplaints().entries()) {
    const logged = await services.logFeedback({ platform: 'slack', userId: `UDEMO${index % 4}` }, { text });
    if (!logged.ok) continue;
    // Backdated: these are the weeks the baselines are measured over.
    await db.feedback.update({
      where: { id: logged.view.feedback.id },
      data: { loggedAt: new Date(`${addDays(lastWeek, (index % 5) - 7 * weeksAgo)}T10:00:00Z`) },
    });
    await services.sortFeedback(logged.view.feedback.id);
  }
  const issueAbout = async (words: string) =>
    (
      await db.feedback.findFirst({
        where: { text: { contains: words, mode: 'insensitive' }, issueId: { not: null } },
        orderBy: { number: 'asc' },
        select: { issueId: true },
      })
    )?.issueId ?? undefined;
  const moment = await db.moment.findFirst({ where: { name: 'Call answered quickly' }, select: { id: true } });
  const owner = (person: typeof demoCco) => ({ platform: person.platform, userId: person.userId, name: person.name });
  const wanted: Array<{ input: Record<string, unknown>; startedOn: WeekStart }> = [];
  const renewal = await issueAbout('renewal price');
  if (renewal)
    wanted.push({
      startedOn: addDays(lastWeek, -21),
      input: {
        title: 'No renewal price rise without a conversation',
        owner: owner(demoCco),
        issueIds: [renewal],
        stopDoing: 'Stop sending renewal notices by email alone: an account manager calls first.',
      },
    });
  if (moment)
    wanted.push({
      startedOn: lastWeek,
      input: {
        title: 'Answer every call the first time',
        owner: owner(demoLeader),
        momentIds: [moment.id],
        stopDoing: 'Stop the outbound upsell calls on Monday mornings, so the team answers the phones instead.',
      },
    });
  let added = 0;
  for (const { input, startedOn } of wanted) {
    const result = await services.addPriority(demoCco, { ...input, startedOn });
    if (result.ok) added++;
  }
  return added;
}
