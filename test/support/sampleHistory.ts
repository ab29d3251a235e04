// Thirteen weeks of customers won and lost, for chart and Home tab tests: no database needed.
import {
  buildMovementHistory,
  periodsEndingWith,
  type MovementHistory,
  type PeriodMovementAggregate,
} from '../../src/domain/movementHistory.js';
import { periodOf } from '../../src/domain/periods.js';

export function sampleHistory(lastWeek = '2026-11-16'): MovementHistory {
  const periods = periodsEndingWith(periodOf('week', lastWeek));
  const rows: PeriodMovementAggregate[] = periods.flatMap((period, index) => [
    { segment: null, periodStart: period.start, gained: 12 + (index % 4) * 3, lost: 7 + (index % 3) * 4 },
    { segment: 'Enterprise', periodStart: period.start, gained: 3 + (index % 2), lost: 2 + (index % 3) },
    { segment: 'Retail', periodStart: period.start, gained: 6 + (index % 5), lost: 4 },
    { segment: 'Mid-market', periodStart: period.start, gained: 2, lost: index % 4 },
    { segment: 'Public sector', periodStart: period.start, gained: index === 5 ? 1 : 0, lost: 0 },
  ]);
  return buildMovementHistory(periods, rows, 'en-GB');
}
