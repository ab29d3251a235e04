// A fortnight of frontline feedback for the local preview, so the digest's listening
// sections have something to show. Loaded once: only into an empty feedback table.
import type { FeedbackInput } from '../domain/feedback.js';
import { addDays, weekJustEnded } from '../domain/weeks.js';
import type { Services } from '../services.js';
import type { Db } from '../store/database.js';

const demoFeedback: Array<FeedbackInput & { weeksAgo: number; day: number }> = [
  {
    text: 'I was charged twice on my March invoice and nobody has refunded me.',
    source: 'call_centre',
    severity: 'high',
    weeksAgo: 0,
    day: 0,
  },
  { text: 'Charged twice again this month, the invoice shows two payments.', source: 'web', weeksAgo: 0, day: 1 },
  {
    text: 'Customer says the invoice charged them twice and wants a refund today.',
    source: 'store',
    severity: 'medium',
    weeksAgo: 0,
    day: 2,
  },
  {
    text: 'The courier left the parcel in the rain and the delivery was three days late.',
    source: 'call_centre',
    severity: 'medium',
    weeksAgo: 0,
    day: 1,
  },
  { text: 'Delivery arrived late again, the courier never rang the bell.', source: 'social', weeksAgo: 0, day: 3 },
  {
    text: 'Waited 40 minutes on hold and the agent could not help with my ticket.',
    source: 'call_centre',
    severity: 'high',
    weeksAgo: 0,
    day: 2,
  },
  {
    text: 'I cannot log in to the app since the update, the password reset page is broken.',
    source: 'web',
    weeksAgo: 0,
    day: 4,
  },
  { text: 'Password reset page broken, cannot log in to the website.', source: 'survey', weeksAgo: 0, day: 5 },
  {
    text: 'The renewal price went up with no warning, we are looking at cheaper options.',
    source: 'sales',
    severity: 'high',
    weeksAgo: 0,
    day: 3,
  },
  {
    text: 'The staff in the Leeds store were so helpful setting up my account, thank you!',
    source: 'store',
    weeksAgo: 0,
    day: 6,
  },
  { text: 'Charged twice on the invoice, second time this quarter.', source: 'call_centre', weeksAgo: 1, day: 2 },
  { text: 'The courier left my parcel with a neighbour and delivery was late.', source: 'web', weeksAgo: 1, day: 4 },
  {
    text: 'On hold for half an hour, the agent said someone would call back and nobody did.',
    source: 'call_centre',
    weeksAgo: 1,
    day: 1,
  },
];

export async function loadDemoFeedback(services: Services, db: Db, now: Date, timeZone: string): Promise<number> {
  if ((await db.feedback.count()) > 0) return 0;
  const lastWeek = weekJustEnded(now, timeZone);
  for (const [index, { weeksAgo, day, ...input }] of demoFeedback.entries()) {
    const logged = await services.logFeedback({ platform: 'slack', userId: `UDEMO${index % 4}` }, input);
    if (!logged.ok) continue;
    // Backdated into the weeks the preview shows; real feedback is always logged "now".
    await db.feedback.update({
      where: { id: logged.view.feedback.id },
      data: { loggedAt: new Date(`${addDays(lastWeek, day - 7 * weeksAgo)}T10:00:00Z`) },
    });
    await services.sortFeedback(logged.view.feedback.id);
  }
  return demoFeedback.length;
}
