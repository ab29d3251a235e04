// The Monday digest on node-cron: each run posts the week just ended, and the month, quarter
// or year just ended on the first Monday after it. Several processes may run this schedule:
// the claim in digest_delivery makes each (period, channel) post once. A second job finishes
// a run that a crash interrupted.
import cron, { type ScheduledTask } from 'node-cron';
import { errorDetail } from '../domain/errorDetail.js';
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
  const report = (kind: string) => async (run: Promise<unknown[]>) => {
    try {
      const result = await run;
      if (result.length) services.log(`${kind} finished`, { result });
    } catch (error) {
      services.log(`${kind} failed`, { error: errorDetail(error) });
    }
  };
  const tasks: ScheduledTask[] = [
    cron.schedule(expression, (context) => report('digest')(services.deliverDueDigests(context.date)), {
      timezone: timeZone,
      name: 'weekly-digest',
      noOverlap: true,
    }),
    cron.schedule(resumeEvery, () => report('digest resume')(services.resumeDigests()), {
      name: 'weekly-digest-resume',
      noOverlap: true,
    }),
  ];
  // A process that restarts after a crash finishes the interrupted run without waiting.
  void report('digest resume')(services.resumeDigests());
  return {
    words: describeDigestSchedule(expression, timeZone),
    stop: async () => {
      for (const task of tasks) await task.destroy();
    },
  };
}
