// The early warning check every five minutes, beside the one after each batch of readings:
// complaints arrive one by one in chat, and a recovery can come from a standard changed in
// the language file, so the check cannot wait for readings alone.
import cron from 'node-cron';
import type { Log } from '../logger.js';
import type { WarningServices } from '../services/warningService.js';

/** Stopping ends the schedule; `warnings.settle()` then waits for a check already running. */
export function startWarningChecks(warnings: WarningServices, log: Log): { stop(): Promise<void> } {
  const run = async () => {
    try {
      await warnings.checkWarnings();
    } catch (error) {
      log('the early warning check failed', {
        level: 'error',
        error: error instanceof Error ? error.stack : String(error),
      });
    }
  };
  const task = cron.schedule('*/5 * * * *', run, { name: 'early-warnings', noOverlap: true });
  return {
    stop: async () => {
      await task.destroy();
    },
  };
}
