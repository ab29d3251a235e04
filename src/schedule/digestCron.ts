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
