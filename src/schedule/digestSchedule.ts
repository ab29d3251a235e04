// The Monday digest on node-cron. Several processes may run this schedule: the claim in
// digest_delivery makes each (week, channel) post once. A second job finishes a run that
// a crash interrupted.
import cron, { type ScheduledTask } from 'node-cron';
import { errorDetail } from '../domain/errorDetail.js';
import { weekJustEnded } from '../domain/weeks.js';
import type { Services } from '../services.js';
import { describeDigestSchedule } from './digestCron.js';

const resumeEvery = '*/5 * * * *';

export interface DigestSchedule {
  /** How people are told when the digest goes out. */
  words: string;
  stop(): Promise<void>;
}

export function startDigestSchedule(services: Services, expression: string): DigestSchedule {
  const { timeZone } = services.settings;
  const report = (kind: string) => async (week: Promise<unknown>) => {
    try {
      const result = await week;
      if (result) services.log(`${kind} finished`, { result });
    } catch (error) {
      services.log(`${kind} failed`, { error: errorDetail(error) });
    }
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(
      expression,
      (context) => report('weekly digest')(services.deliverDigest(weekJustEnded(context.date, timeZone))),
      {
        timezone: timeZone,
        name: 'weekly-digest',
        noOverlap: true,
      },
    ),
    cron.schedule(resumeEvery, () => report('digest resume')(services.resumeDigest(services.lastWeek())), {
      name: 'weekly-digest-resume',
      noOverlap: true,
    }),
  ];
  // A process that restarts after a crash finishes the interrupted run without waiting.
  void report('digest resume')(services.resumeDigest(services.lastWeek()));
  return {
    words: describeDigestSchedule(expression, timeZone),
    stop: async () => {
      for (const task of tasks) await task.destroy();
    },
  };
}
