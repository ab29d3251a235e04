// Starts everything: database, HTTP, Slack (when credentials are set) and the Monday
// schedule. main.ts runs it for real; integration tests start the same thing.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { teamsConfigured, type Config } from './config.js';
import { stripeWebhookFor } from './connectors/stripe/stripeConnection.js';
import { demoCustomerEvents, loadDemoCustomerLife } from './demo/demoData.js';
import { loadDemoCampaign } from './demo/demoCampaign.js';
import { loadDemoFeedback } from './demo/demoFeedback.js';
import { loadDemoHope } from './demo/demoHope.js';
import { loadDemoRoles } from './demo/demoPeople.js';
import { loadDemoPriorities } from './demo/demoPriorities.js';
import { loadDemoWarnings } from './demo/demoWarnings.js';
import { readMomentsFile, readLanguageFile } from './languageFile.js';
import { drainable } from './http/drain.js';
import { digestPageLinks, previewLinks, stateOfTheCustomerLinks } from './http/previewLinks.js';
import { createHttpServer } from './http/server.js';
import { countedServices, createMetrics, metricsEndpoint, observeRequest } from './metrics.js';
import { startBackgroundJobs } from './schedule/backgroundJobs.js';
import { validateDigestCron } from './schedule/digestCron.js';
import { startDigestSchedule } from './schedule/digestSchedule.js';
import { startWarningChecks } from './schedule/warningSchedule.js';
import { createLog } from './logger.js';
import { createServices, type Log, type Services } from './services.js';
import { createSlackBot } from './slack/app.js';
import { botSecret } from './store/botSecretStore.js';
import { openDatabase } from './store/database.js';
import { teamsConversationStore } from './store/teamsConversationStore.js';
import { createTeamsBot } from './teams/app.js';
import { startPlayground, type Playground } from './playground/playground.js';
import { playgroundSlot } from './playground/playgroundRoutes.js';
import { createWarningServices, type WarningCommands, type WarningServices } from './services/warningService.js';

/** Listens, or fails with one plain sentence when the port is taken (a second `npm start`, usually). */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new Error(`Port ${port} is already in use (is the bot already running?). Set PORT=… to use another.`));
      else if (error.code === 'EACCES')
        reject(new Error(`Port ${port} needs privileges this process does not have. Set PORT=… to a port above 1023.`));
      else reject(error);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** Requests in flight get this long after SIGTERM: inside the 10 s a container platform waits before SIGKILL. */
export const drainMs = 8000;

export interface RunningBot {
  url: string;
  services: Services;
  warnings: WarningServices;
  /** The same commands the adapters call, for tests and tools. */
  warningCommands: WarningCommands;
  stop(): Promise<void>;
}

export interface StartOptions {
  demo?: boolean;
  log?: Log;
  /** Offer the playground when no platform is connected (`npm start` does; tools and tests that start the bot in-process choose). */
  playground?: boolean;
}

export async function startBot(config: Config, options: StartOptions = {}): Promise<RunningBot> {
  const cronProblem = validateDigestCron(config.DIGEST_CRON);
  if (cronProblem) throw new Error(cronProblem);
  const log = options.log ?? createLog({ level: config.LOG_LEVEL });

  const database = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    pgliteDir: config.PGLITE_DIR,
    onStaleLock: (stale) =>
      log('took over the lock of a process that is gone', {
        level: 'warn',
        folder: config.PGLITE_DIR,
        ...(stale ? { pid: stale.pid, command: stale.command, since: stale.since } : {}),
      }),
  });
  const metrics = createMetrics({
    pendingNotices: () => database.prisma.notice.count({ where: { status: { in: ['pending', 'sending'] } } }),
    inFlight: () => requests.inFlight(),
  });
  const services = countedServices(createServices(database.prisma, config, { log }), metrics);
  log('database ready', { kind: database.kind, ...(database.kind === 'pglite' ? { folder: config.PGLITE_DIR } : {}) });

  // The language comes first: demo feedback is filed under it.
  await services.loadLanguage(config.LANGUAGE_FILE ? await readLanguageFile(config.LANGUAGE_FILE) : undefined);
  const warnings = createWarningServices(database.prisma, config, {
    clock: services.clock,
    log,
    sendNotices: () => services.sendNotices(),
  });
  await warnings.loadMoments(config.LANGUAGE_FILE ? await readMomentsFile(config.LANGUAGE_FILE) : undefined);

  if (options.demo || config.DEMO_DATA) {
    const result = await services.recordCustomerEvents(demoCustomerEvents(new Date(), config.ORG_TIMEZONE));
    await loadDemoRoles(database.prisma);
    await loadDemoCustomerLife(services, database.prisma);
    const feedback = await loadDemoFeedback(services, database.prisma, new Date(), config.ORG_TIMEZONE);
    const calls = await loadDemoCampaign(services, database.prisma, new Date(), config.ORG_TIMEZONE);
    const fixes = await loadDemoHope(services, database.prisma, new Date(), config.ORG_TIMEZONE);
    const early = await loadDemoWarnings(warnings, database.prisma, new Date(), config.ORG_TIMEZONE);
    // After the warnings, which load the moment the second priority is measured by.
    const priorities = await loadDemoPriorities(services, database.prisma, new Date(), config.ORG_TIMEZONE);
    log('demo data loaded', {
      newEvents: result.stored,
      alreadyThere: result.duplicates,
      newFeedback: feedback,
      newCalls: calls,
      newFixes: fixes,
      newReadings: early.readings,
      newWarnings: early.warnings,
      newPriorities: priorities,
    });
  }

  // Once a chat platform is connected the digest page holds a real company's figures: it opens only with a signed link or PREVIEW_TOKEN.
  const connected = Boolean(config.SLACK_BOT_TOKEN) || teamsConfigured(config);
  const links = connected
    ? previewLinks(config.PREVIEW_LINK_SECRET ?? (await botSecret(database.prisma, 'preview-link')))
    : undefined;

  const schedule = startDigestSchedule(services, config.DIGEST_CRON);
  const jobs = startBackgroundJobs(services, { reclassify: Boolean(config.OPENAI_API_KEY) });
  const warningChecks = startWarningChecks(warnings, log);
  const slack = config.SLACK_BOT_TOKEN ? createSlackBot(config, services) : undefined;
  // With nothing connected the bot can be tried in the browser; its Slack is a stand-in inside this process.
  // Only over the demo's data: its Slack is a stand-in that takes whatever the outbox and the schedule owe Slack,
  // so over a real company's database it would swallow digests and thanks still owed to real people.
  const demo = Boolean(options.demo || config.DEMO_DATA);
  const slot = connected || !options.playground || !demo ? undefined : playgroundSlot();
  const teams = teamsConfigured(config)
    ? createTeamsBot(config, services, teamsConversationStore(database.prisma), schedule.words)
    : undefined;
  if (config.TEAMS_EMULATOR)
    log(
      'TEAMS_EMULATOR is on: /api/messages accepts activities without authentication. Never expose this to a network.',
    );
  const server = createHttpServer({
    services,
    eventsApiToken: config.EVENTS_API_TOKEN,
    feedbackApiToken: config.FEEDBACK_API_TOKEN,
    warnings,
    metricsApiToken: config.METRICS_API_TOKEN,
    slack: slack?.requestListener ?? slot?.slack,
    ...(slot ? { playground: slot.pages } : {}),
    teams: teams?.requestListener ?? slot?.teams,
    stripeWebhook: stripeWebhookFor(config, services, database.prisma),
    checkDatabase: async () => void (await database.prisma.$queryRaw`SELECT 1`),
    metrics: metricsEndpoint(metrics, config.METRICS_TOKEN),
    onAnswered: (path, method, status, seconds) => observeRequest(metrics, path, method, status, seconds),
    digestAccess: links ? { links, previewToken: config.PREVIEW_TOKEN, clock: services.clock } : undefined,
    publicPages: { usesModel: Boolean(config.OPENAI_API_KEY) },
    previewNote: connected
      ? 'The customer asset digest, exactly as it is posted to subscribed channels. This page is private: please do not forward its link.'
      : `Local preview: no Slack workspace is connected. This is the digest for the week just ended, exactly as it will be posted. Add ?period=month, ?period=2026-Q3, ?period=2026 or ?period=YYYY-MM-DD (a Monday) for another period.${slot ? ' Try the bot itself at /playground.' : ''}`,
  });
  const requests = drainable(server);
  try {
    await listen(server, config.PORT, config.HOST);
  } catch (error) {
    // Nothing may keep a process that could not start alive: the schedule, the jobs and PGlite all hold the event loop.
    await schedule.stop();
    await jobs.stop();
    await warningChecks.stop();
    metrics.stop();
    await database.close();
    throw error;
  }
  await slack?.start();
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const loopback = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
  const botUrl = `http://${loopback.includes(':') ? `[${loopback}]` : loopback}:${port}`;
  const playground: Playground | undefined = slot
    ? await startPlayground(
        config,
        services,
        () => botUrl,
        (teamsConfig) => createTeamsBot(teamsConfig, services, teamsConversationStore(database.prisma), schedule.words),
      )
    : undefined;
  if (playground) {
    slot?.fill(playground);
    // What the demo queued (the callers' lists) reaches the playground's stand-in at once.
    void services.sendNotices();
  }
  if (links) {
    services.useDigestLinks(digestPageLinks(links, config.PUBLIC_URL ?? url, Boolean(config.PUBLIC_URL)));
    services.useStateOfTheCustomerLinks(
      stateOfTheCustomerLinks(links, config.PUBLIC_URL ?? url, Boolean(config.PUBLIC_URL)),
    );
  }
  log('customer-growth bot listening', {
    preview: `${url}/`,
    slack: slack
      ? slack.requestListener
        ? `${url}/slack/events`
        : 'socket mode'
      : `not connected (set SLACK_BOT_TOKEN)${slot ? `; try the bot at ${url}/playground` : ''}`,
    teams: teams
      ? `${url}/api/messages${config.TEAMS_EMULATOR ? ' (emulator mode, no authentication)' : ''}`
      : 'not connected (set MICROSOFT_APP_ID)',
    digest: schedule.words,
  });

  return {
    url,
    services,
    warnings,
    warningCommands: services.warningCommands,
    stop: async () => {
      await schedule.stop();
      await jobs.stop();
      await warningChecks.stop();
      await slack?.stop();
      log('no longer accepting requests; finishing those in flight', { inFlight: requests.inFlight() });
      const { unfinished } = await requests.close(drainMs);
      if (unfinished) log('stopped with requests unanswered', { level: 'warn', unfinished, afterMs: drainMs });
      await playground?.stop();
      await services.stopSortingExternal();
      await warnings.settle();
      metrics.stop();
      await database.close();
    },
  };
}
