// DIGEST_CRON read and said in words, apart from the schedule itself so the digest service
// can tell people when the digest goes out without importing what runs it.
import cron from 'node-cron';

export function validateDigestCron(expression: string): string | null {
  return cron.validate(expression)
    ? null
    : `DIGEST_CRON "${expression}" is not a valid cron expression (for example "0 8 * * 1" is Mondays at 08:00).`;
}

export function describeDigestSchedule(expression: string, timeZone: string): string {
  if (expression.trim() === '0 8 * * 1') return `every Monday at 08:00 (${timeZone})`;
  return `on the schedule \`${expression}\` (${timeZone})`;
}

/** When the digest of each month, quarter or year goes out: the first run of the schedule after it ends. */
export function describePeriodSchedule(
  expression: string,
  timeZone: string,
  kind: 'month' | 'quarter' | 'year',
): string {
  if (expression.trim() === '0 8 * * 1') return `on the first Monday after each ${kind} ends, at 08:00 (${timeZone})`;
  return `at the first run of the schedule \`${expression}\` (${timeZone}) after each ${kind} ends`;
}
