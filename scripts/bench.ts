// npm run bench: starts its own PostgreSQL server, runs every benchmark (or those named:
// `npm run bench -- import`), prints the figures.
// A benchmark that finds something wrong (feedback not stored) makes the run exit non-zero.
import { benchCampaign } from '../bench/campaign.js';
import { benchDigest } from '../bench/digest.js';
import { benchFeedback } from '../bench/feedback.js';
import { benchFeedbackBatch } from '../bench/feedbackBatch.js';
import { benchHome } from '../bench/home.js';
import { benchImport } from '../bench/import.js';
import { benchLapsed } from '../bench/lapsed.js';
import { benchStateOfTheCustomer } from '../bench/stateOfTheCustomer.js';
import { benchWarnings } from '../bench/warnings.js';
import { startPostgres, type PostgresServer } from '../test/support/postgresServer.js';

const allBenches: Array<[string, string, (server: PostgresServer) => Promise<string>]> = [
  ['digest', 'Monday digest over two years of customer events (20 segments):', benchDigest],
  ['feedback', 'Listening: 200 signed /feedback commands at once to the real bot:', benchFeedback],
  [
    'feedback-batch',
    'Feedback from other systems: one 10,000-item batch, validated and stored once:',
    benchFeedbackBatch,
  ],
  [
    'campaign',
    'Campaign: call lists to 1,000 callers through Slack rate limits (1 post/s per channel, conversations.open 100 per 5 s):',
    benchCampaign,
  ],
  ['import', 'Import: 1,000,000 CSV rows with 200,000 customers through npm run import:', benchImport],
  ['lapsed', 'Lapsed customers: last week, among 200,000 customers with 1,000,000 events over two years:', benchLapsed],
  [
    'warnings',
    'Early warnings: one check of every moment, stage and category over two years (1,000,000 feedback, 1,000,000 readings):',
    benchWarnings,
  ],
  [
    'state-of-the-customer',
    'The State of the Customer: one year (of two) over 1,000,000 customer events and 1,000,000 feedback items:',
    benchStateOfTheCustomer,
  ],
  [
    'home',
    'The customer room (Home tab) over two years of customer events, and the movement chart per image:',
    benchHome,
  ],
];
// `npm run bench -- import` runs only the benchmarks named.
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !allBenches.some(([key]) => key === name));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Choose from: ${allBenches.map(([key]) => key).join(', ')}.`);
  process.exit(2);
}
const benches = allBenches
  .filter(([key]) => !wanted.length || wanted.includes(key))
  .map(([, title, bench]) => [title, bench] as const);

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
