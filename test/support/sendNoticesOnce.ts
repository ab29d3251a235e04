// One run of the outbox as its own process, the way the bot sends notices: the database at
// DATABASE_URL, the Slack notice sender on the client that never retries by itself, pointed
// at SLACK_API_URL. Tests kill it in the middle to show a crash loses and repeats nothing.
// Prints the run's figures as JSON on its last line.
import { loadConfig } from '../../src/config.js';
import { createServices } from '../../src/services.js';
import { digestClient } from '../../src/slack/digestPoster.js';
import { slackNoticeSender } from '../../src/slack/noticeSender.js';
import { openDatabase } from '../../src/store/database.js';

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
let run: unknown;
try {
  const services = createServices(database.prisma, config, { log: () => {} });
  const client = digestClient(
    config.SLACK_BOT_TOKEN!,
    config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {},
  );
  services.addNoticeSender(slackNoticeSender(client, { format: services.settings, callList: services.callList }));
  run = await services.sendNotices();
} finally {
  await database.close();
}
console.log(JSON.stringify(run ?? null));
// The schema engine's glue leaves a timer behind after migrating; a finished run should not wait for it.
process.exit(0);
