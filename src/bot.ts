// Starts everything: database, HTTP, Slack (when credentials are set) and the Monday
// schedule. main.ts runs it for real; integration tests start the same thing.
import type { AddressInfo } from 'node:net';
import { teamsConfigured, type Config } from './config.js';
import { demoCustomerEvents } from './demo/demoData.js';
import { loadDemoFeedback } from './demo/demoFeedback.js';
import { readVocabularyFile } from './languageFile.js';
import { createHttpServer } from './http/server.js';
import { startBackgroundJobs } from './schedule/backgroundJobs.js';
import { startDigestSchedule, validateDigestCron } from './schedule/digestSchedule.js';
import { consoleLog, createServices, type Log, type Services } from './services.js';
import { createSlackBot } from './slack/app.js';
import { openDatabase } from './store/database.js';
import { teamsConversationStore } from './store/teamsConversationStore.js';
import { createTeamsBot } from './teams/app.js';

export interface RunningBot {
  url: string;
  services: Services;
  stop(): Promise<void>;
}

export async function startBot(config: Config, options: { demo?: boolean; log?: Log } = {}): Promise<RunningBot> {
  const cronProblem = validateDigestCron(config.DIGEST_CRON);
  if (cronProblem) throw new Error(cronProblem);
  const log = options.log ?? consoleLog;

  const database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  const services = createServices(database.prisma, config, { log });
  log('database ready', { kind: database.kind, ...(database.kind === 'pglite' ? { folder: config.PGLITE_DIR } : {}) });

  // The language comes first: demo feedback is filed under it.
  await services.loadVocabulary(config.LANGUAGE_FILE ? await readVocabularyFile(config.LANGUAGE_FILE) : undefined);

  if (options.demo || config.DEMO_DATA) {
    const result = await services.recordCustomerEvents(demoCustomerEvents(new Date(), config.ORG_TIMEZONE));
    const feedback = await loadDemoFeedback(services, database.prisma, new Date(), config.ORG_TIMEZONE);
    log('demo data loaded', { newEvents: result.stored, alreadyThere: result.duplicates, newFeedback: feedback });
  }

  const schedule = startDigestSchedule(services, config.DIGEST_CRON);
  const jobs = startBackgroundJobs(services, { reclassify: Boolean(config.OPENAI_API_KEY) });
  const slack = config.SLACK_BOT_TOKEN ? createSlackBot(config, services, schedule.words) : undefined;
  const teams = teamsConfigured(config) ? createTeamsBot(config, services, teamsConversationStore(database.prisma), schedule.words) : undefined;
  if (config.TEAMS_EMULATOR) log('TEAMS_EMULATOR is on: /api/messages accepts activities without authentication. Never expose this to a network.');
  const server = createHttpServer({
    services,
    eventsApiToken: config.EVENTS_API_TOKEN,
    feedbackApiToken: config.FEEDBACK_API_TOKEN,
    slack: slack?.requestListener,
    teams: teams?.requestListener,
    checkDatabase: async () => void (await database.prisma.$queryRaw`SELECT 1`),
    previewNote: slack
      ? 'Preview of the digest for the week just ended, exactly as it will be posted to subscribed channels.'
      : 'Local preview: no Slack workspace is connected. This is the digest for the week just ended, exactly as it will be posted. Add ?week=YYYY-MM-DD (a Monday) for another week.',
  });
  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  await slack?.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  log('customer-growth bot listening', {
    preview: `${url}/`,
    slack: slack ? (slack.requestListener ? `${url}/slack/events` : 'socket mode') : 'not connected (set SLACK_BOT_TOKEN)',
    teams: teams ? `${url}/api/messages${config.TEAMS_EMULATOR ? ' (emulator mode, no authentication)' : ''}` : 'not connected (set MICROSOFT_APP_ID)',
    digest: schedule.words,
  });

  return {
    url,
    services,
    stop: async () => {
      await schedule.stop();
      await jobs.stop();
      await slack?.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await services.stopSortingExternal();
      await database.close();
    },
  };
}
