// Waiting for the outbox the way a person waits for a message: until it owes nothing. Counting
// passes is not enough on a loaded machine: a platform call that is slow to answer fails and backs
// off for a minute, and the bot's own runs (after a command, every minute) share the work with the
// test's. A run here does what the minute-by-minute job would have done.
import type { Db } from '../../src/store/database.js';
import { retryDelayMs } from '../../src/domain/notices.js';

/** Long enough for one failed attempt's back-off and its retry, however slow the machine is today. */
const patienceMs = retryDelayMs(1) + 60_000;

/** Runs the outbox until no notice is pending or being sent; on timeout, names what is still owed and why. */
export async function outboxSettled(
  outbox: { sendNotices(): Promise<unknown> },
  prisma: Db,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  const owed = () => prisma.notice.findMany({ where: { status: { in: ['pending', 'sending'] } } });
  const deadline = Date.now() + (options.timeoutMs ?? patienceMs);
  for (;;) {
    await outbox.sendNotices();
    const left = await owed();
    if (!left.length) return;
    if (Date.now() > deadline)
      throw new Error(
        `The outbox still owes ${left.length} notice(s): ${left
          .map(
            (notice) =>
              `${notice.key} (${notice.status}, ${notice.attempts} attempts, ${notice.lastError ?? 'no error'})`,
          )
          .join('; ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
