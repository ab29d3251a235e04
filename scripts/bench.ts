// npm run bench: starts its own PostgreSQL server, runs every benchmark, prints the figures.
// A benchmark that finds something wrong (feedback not stored) makes the run exit non-zero.
import { benchCampaign } from '../bench/campaign.js';
import { benchDigest } from '../bench/digest.js';
import { benchFeedback } from '../bench/feedback.js';
import { benchFeedbackBatch } from '../bench/feedbackBatch.js';
import { startPostgres, type PostgresServer } from '../test/support/postgresServer.js';

const benches: Array<[string, (server: PostgresServer) => Promise<string>]> = [
  ['Monday digest over two years of customer events (20 segments):', benchDigest],
  ['Listening: 200 signed /feedback commands at once to the real bot:', benchFeedback],
  ['Feedback from other systems: one 10,000-item batch, validated and stored once:', benchFeedbackBatch],
  ['Campaign: call lists to 1,000 callers through Slack rate limits (1 post/s per channel, conversations.open 100 per 5 s):', benchCampaign],
];

const server = await startPostgres();
const results: string[] = [];
let failed = false;
try {
  for (const [title, bench] of benches) {
    console.log(`${results.length ? '\n' : ''}${title}`);
    try {
      results.push(await bench(server));
    } catch (error) {
      failed = true;
      results.push(`FAILED ${error instanceof Error ? error.message : String(error)}`);
      console.error(error);
    }
  }
} finally {
  await server.stop();
}
console.log(`\n${results.join('\n')}`);
process.exit(failed ? 1 : 0);
