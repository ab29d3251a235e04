// Marketing hope for the local preview: the password-reset issue from the demo feedback,
// resolved at the end of last week, announced in #announcements and its reporters thanked,
// so the digest's "What we fixed" shows a fix. Loaded once: only while nothing was ever resolved.
import { addDays, weekJustEnded } from '../domain/weeks.js';
import type { Services } from '../services.js';
import type { Db } from '../store/database.js';
import { demoAnnouncements, demoCco } from './demoPeople.js';

export const demoFix =
  'We rebuilt the password reset page and tested it on every browser we support: reset emails now arrive within a minute.';

export async function loadDemoHope(services: Services, db: Db, now: Date, timeZone: string): Promise<number> {
  if ((await db.issueResolution.count()) > 0) return 0;
  await services.setHopeChannel(
    demoCco,
    { platform: demoAnnouncements.platform, channelId: demoAnnouncements.channelId },
    true,
  );
  const reported = await db.feedback.findFirst({
    where: { text: { contains: 'password reset', mode: 'insensitive' }, issueId: { not: null } },
    orderBy: { number: 'asc' },
    select: { issue: { select: { number: true } } },
  });
  if (!reported?.issue) return 0;
  const resolved = await services.resolveIssue(demoCco, reported.issue.number, demoFix);
  if (!resolved.ok) return 0;
  // Backdated to Saturday of the week the preview shows, after its last report; the announcement
  // and the thanks count as delivered then, because that week's bot would have sent them.
  const at = new Date(`${addDays(weekJustEnded(now, timeZone), 5)}T16:00:00Z`);
  const resolution = await db.issueResolution.findFirstOrThrow({
    orderBy: { resolvedAt: 'desc' },
    select: { id: true },
  });
  await db.issueResolution.update({ where: { id: resolution.id }, data: { resolvedAt: at } });
  await db.notice.updateMany({
    where: { key: { contains: resolution.id }, status: 'pending' },
    data: { status: 'sent', sentAt: at },
  });
  return 1;
}
