// Moments that matter for the local preview, with a week of readings in which one moment
// breaks its standard, then the early warning check as it would have run at the end of the
// week just ended, so the digest's "Early warning" section has something real to show.
// The moments are loaded for the demo only, and only when the company has none of its own.
import type { MomentDefinition } from '../domain/moments.js';
import { addDays, weekJustEnded } from '../domain/weeks.js';
import type { WarningServices } from '../services/warningService.js';
import type { Db } from '../store/database.js';

const owner = { kind: 'channel', platform: 'slack', id: 'CDEMOOPS', name: '#operations' } as const;

export const demoMoments: MomentDefinition[] = [
  {
    name: 'Order delivered on time',
    stage: 'Use',
    metric: 'Orders delivered on the promised day',
    unit: '%',
    better: 'higher',
    standard: 95,
    owner,
  },
  {
    name: 'Call answered quickly',
    stage: 'Get help',
    metric: 'Calls answered within 60 seconds',
    unit: '%',
    better: 'higher',
    standard: 80,
    owner,
  },
];

/** One reading a day, Monday to Saturday of the week just ended: deliveries slip below standard mid-week, calls stay fine. */
const dailyReadings: Record<string, number[]> = {
  'Order delivered on time': [97.2, 96.8, 94.3, 91.5, 89.9, 88.4],
  'Call answered quickly': [86, 84.5, 85.2, 83.9, 87.1, 86.4],
};

export async function loadDemoWarnings(
  warnings: WarningServices,
  db: Db,
  now: Date,
  timeZone: string,
): Promise<{ readings: number; warnings: number }> {
  if ((await warnings.moments()).length === 0) await warnings.loadMoments(demoMoments);
  const lastWeek = weekJustEnded(now, timeZone);
  const rows = Object.entries(dailyReadings).flatMap(([moment, values]) =>
    values.map((value, day) => ({
      external_id: `demo-reading-${moment}-${addDays(lastWeek, day)}`,
      moment,
      value,
      measured_at: `${addDays(lastWeek, day)}T12:00:00Z`,
    })),
  );
  // Ids are fixed, so a second start stores nothing new and the check below finds nothing new.
  const recorded = await warnings.recordReadings(rows, { checkAfter: false });
  // Early Sunday of the week just ended, in every time zone after Saturday's reading: the spike is
  // judged on that week, and the warnings are dated inside it, as if the bot had been running then.
  const asOf = new Date(`${addDays(lastWeek, 6)}T06:00:00Z`);
  const check = await warnings.checkWarningsAsOf(asOf);
  if (check.raised.length)
    await db.warning.updateMany({ where: { id: { in: check.raised.map((row) => row.id) } }, data: { raisedAt: asOf } });
  return { readings: recorded.stored, warnings: check.raised.length };
}
