// npm run connect:stripe -- --since 2025-01-01: reads every Stripe subscription created since
// that day and stores the customer movements they tell, under the same external ids as the
// webhooks, so re-running it or overlapping with webhooks stores nothing twice.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { connectStripe } from '../connectors/stripe/stripeConnection.js';
import { createServices } from '../services.js';
import { openDatabaseForTool } from './openForTool.js';

const usage =
  'usage: npm run connect:stripe -- --since YYYY-MM-DD\nNeeds STRIPE_API_KEY (a restricted key that can read subscriptions, customers and products is enough).';

async function connect(args: string[]): Promise<number> {
  let since: Date;
  try {
    const { values } = parseArgs({ args, options: { since: { type: 'string' } }, strict: true });
    if (
      !values.since ||
      !/^\d{4}-\d{2}-\d{2}$/.test(values.since) ||
      Number.isNaN(Date.parse(`${values.since}T00:00:00Z`))
    )
      throw new Error('--since must be a date such as 2025-01-01');
    since = new Date(`${values.since}T00:00:00Z`);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  if (!config.STRIPE_API_KEY) {
    console.error(`STRIPE_API_KEY is not set; nothing was read or stored.\n${usage}`);
    return 2;
  }
  const database = await openDatabaseForTool(
    config,
    'Nothing was read or stored',
    "While the bot runs, Stripe's webhooks keep it up to date; the backfill is for history.",
  );
  if (!database) return 1;
  try {
    const services = createServices(database.prisma, config, {
      log: (message, context) => console.error(JSON.stringify({ message, ...context })),
    });
    const connection = connectStripe(config, services, database.prisma)!;
    console.log(`Reading Stripe subscriptions created since ${since.toISOString().slice(0, 10)}…`);
    const summary = await connection.connector.backfill(since, (progress) =>
      console.log(
        `  ${progress.read} subscriptions read, ${progress.stored} new movements stored, ${progress.skipped} not counted`,
      ),
    );
    for (const [reason, count] of Object.entries(summary.skippedReasons))
      console.log(`  not counted (${count}): ${reason}`);
    console.log(
      `Done: ${summary.read} subscriptions read, ${summary.stored} new movements stored, ${summary.duplicates} already stored, ${summary.skipped} not counted.`,
    );
    return 0;
  } catch (error) {
    console.error(
      `The backfill stopped: ${error instanceof Error ? error.message : String(error)}\nMovements stored so far are kept; running it again is safe: nothing is stored twice.`,
    );
    return 1;
  } finally {
    await database.close();
  }
}

// The schema engine's glue leaves a timer behind after migrating; a finished command should not wait for it.
process.exit(await connect(process.argv.slice(2)));
