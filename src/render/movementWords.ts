// The movement chart's title and every number on it in words: what Slack and Teams put
// beside the picture, for screen readers, notifications and anyone who cannot see it.
import { movementHistoryWords, type MovementHistory } from '../domain/movementHistory.js';

export function seriesName(segment: string | null): string {
  return segment ?? 'Whole company';
}

const periodWords = { week: 'weeks', month: 'months', quarter: 'quarters', year: 'years' } as const;

export function movementChartTitle(history: MovementHistory): string {
  const count = history.series[0]?.points.length ?? 0;
  return `Customers won and lost, last ${count} ${periodWords[history.periodKind]}`;
}

/** One line per panel: the company, then each segment charted. */
export function movementChartLines(history: MovementHistory): string[] {
  return movementHistoryWords(history, seriesName);
}
