// 200 people logging feedback at the same moment: the real bot (HTTP server, Bolt, a fresh
// PostgreSQL database) receives 200 signed /feedback commands at once from another process.
// What a person waits for is the answer to the command, which comes after the feedback is
// stored; sorting it follows. The Slack stand-in that receives the sorted replies shares the
// bot's process, as the network would not.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { startBot } from '../src/startBot.js';
import { loadConfig } from '../src/config.js';
import type { PostgresServer } from '../test/support/postgresServer.js';
import { sendSlashCommand, waitFor } from '../test/support/slackRequests.js';
import { startSlackStandIn } from '../test/support/slackStandIn.js';

const requests = 200;
/** Order numbers in the texts, so each round's rows can be counted. */
const firstOrder = 10_000;
const signingSecret = 'bench-signing-secret';

const said = [
  'The courier left the parcel in the rain and it arrived late',
  'I was charged twice on my invoice and still have no refund',
  'The app login page is broken on my phone',
  'The agent was rude and kept me on hold for forty minutes',
  'The welcome email after sign up was confusing',
  'Your prices went up again, the competitor is cheaper',
  'Nobody told me my delivery was cancelled',
  'Setup took three days because the install guide was wrong',
];

/** Nearest-rank percentile of `values` (milliseconds). */
function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function benchFeedback(server: PostgresServer): Promise<string> {
  const url = await server.createDatabase('bench_feedback');
  const standIn = await startSlackStandIn();
  const problems: string[] = [];
  const bot = await startBot(
    loadConfig({
      DATABASE_URL: url,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      ORG_TIMEZONE: 'UTC',
    }),
    {
      log: (message, context) =>
        void (/failed|error/.test(message) && problems.push(`${message} ${JSON.stringify(context)}`)),
    },
  );
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const count = async (where = 'true') =>
    Number((await client.query<{ count: string }>(`SELECT count(*) FROM feedback WHERE ${where}`)).rows[0]!.count);
  try {
    // Warm the HTTP server, Bolt and the connection pool without logging anything.
    await sendSlashCommand(bot.url, signingSecret, {
      command: '/issues',
      text: 'list',
      userId: 'UWARM',
      channelId: 'C0BENCH',
      responseUrl: standIn.responseUrl('warm-up'),
    });

    /** Sends `requests` commands (all at once, or one every `spacingMs`) and waits until each is stored and sorted. */
    const round = async (name: string, spacingMs: number, first: number) => {
      const before = await count();
      const commands = Array.from({ length: requests }, (_, index) => ({
        userId: `UBENCH${index % 40}`,
        text: `${said[index % said.length]} (order ${first + index})`,
        responseUrl: standIn.responseUrl(`bench-${first + index}`),
      }));
      const plan = JSON.stringify({ botUrl: bot.url, signingSecret, spacingMs, commands });
      const clients = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'bench/feedbackClients.ts', plan],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      const acks = JSON.parse(clients.stdout) as Array<{ ms: number; status: number; body: string }>;
      const answered = acks.filter(
        (ack) => ack.status === 200 && /"text":"Logged as feedback #\d+"/.test(ack.body),
      ).length;
      const times = acks.map((ack) => ack.ms);
      // Every answered command was stored before its answer; sorting follows.
      const stored = (await count()) - before;
      await waitFor(async () => (await count('classified_by IS NOT NULL')) >= before + answered, {
        what: 'sorting to finish',
        timeoutMs: 120_000,
        intervalMs: 200,
      }).catch((error: unknown) => problems.push(String(error)));
      const line = `${name}: ack p50 ${Math.round(percentile(times, 0.5))} ms, p99 ${Math.round(percentile(times, 0.99))} ms, ${stored}/${requests} stored`;
      process.stdout.write(
        `  ${line} (${answered}/${requests} answered "Logged as feedback #N", slowest ${Math.round(Math.max(...times))} ms)\n`,
      );
      if (stored !== requests || answered !== requests)
        problems.push(`${line}: ${requests - stored} missing, ${requests - answered} not answered`);
      return line;
    };
    const burst = await round(`feedback: ${requests} concurrent /feedback`, 0, firstOrder);
    const steady = await round(`${requests} /feedback at 100 a second`, 10, firstOrder + requests);
    if (problems.length) throw new Error(problems.slice(0, 5).join('; '));
    const line = `${burst}; ${steady}`;
    return line;
  } finally {
    await client.end();
    await bot.stop();
    await standIn.close();
  }
}
