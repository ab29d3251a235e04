// Work that keeps going between commands: the outbox of notices (retries and whatever a
// crash left behind), feedback a stopped process stored but never sorted, reminders to
// callers, and a second look by the model at feedback it could not sort.
import cron, { type ScheduledTask } from 'node-cron';
import { errorDetail } from '../domain/errorDetail.js';
import type { Services } from '../services.js';

export function startBackgroundJobs(services: Services, options: { reclassify: boolean }): { stop(): Promise<void> } {
  const run = (name: string, job: () => Promise<unknown>) => async () => {
    try {
      const result = await job();
      if (result && typeof result === 'object' && Object.values(result).some((value) => value))
        services.log(`${name} finished`, { result });
    } catch (error) {
      services.log(`${name} failed`, { error: errorDetail(error) });
    }
  };
  const sendNotices = run('notices', () => services.sendNotices());
  const tasks: ScheduledTask[] = [
    cron.schedule('* * * * *', sendNotices, { name: 'notices', noOverlap: true }),
    cron.schedule(
      '*/5 * * * *',
      run('sorting left behind', () => services.sortLeftBehind()),
      { name: 'sort-left-behind', noOverlap: true },
    ),
    // Weekdays only, in the organisation's zone; the reminder's key holds the date, so several processes remind once.
    cron.schedule(
      '0 9 * * 1-5',
      run('campaign reminders', () => services.queueReminders()),
      { name: 'campaign-reminders', timezone: services.settings.timeZone, noOverlap: true },
    ),
  ];
  if (options.reclassify)
    tasks.push(
      cron.schedule(
        '*/15 * * * *',
        run('reclassification', () => services.reclassifyWaiting()),
        { name: 'reclassify', noOverlap: true },
      ),
    );
  void sendNotices();
  return {
    stop: async () => {
      for (const task of tasks) await task.destroy();
    },
  };
}
