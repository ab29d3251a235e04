// The Slack side: Bolt receives commands over HTTP (signed requests) or Socket Mode and
// translates them into calls on the services; everything it says comes from there.
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config } from '../config.js';
import { boltLogger } from '../logger.js';
import type { Services } from '../services.js';
import { slackChartFiles } from './chartFiles.js';
import { digestClient, slackCallTimeoutMs, slackDigestPoster } from './digestPoster.js';
import { registerListeners } from './listeners.js';
import { slackNoticeSender } from './noticeSender.js';

export interface SlackBot {
  app: App;
  client: WebClient;
  /** Present in HTTP mode: serves POST /slack/events. */
  requestListener?: HTTPReceiver['requestListener'];
  start(): Promise<void>;
  stop(): Promise<void>;
}

// The schedule's words are Teams' help; Slack's `/digest help` has its own, so the argument is kept for the one call shape.
export function createSlackBot(config: Config, services: Services): SlackBot {
  // Every Web API call is bounded, so one Slack never answers cannot hold a worker (see digestPoster.ts).
  const clientOptions = {
    ...(config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {}),
    timeout: slackCallTimeoutMs,
  };
  // An app-level token means Socket Mode, for development behind a firewall.
  const socketMode = Boolean(config.SLACK_APP_TOKEN);
  const receiver = socketMode
    ? undefined
    : new HTTPReceiver({ signingSecret: config.SLACK_SIGNING_SECRET!, endpoints: '/slack/events' });
  const app = new App({
    token: config.SLACK_BOT_TOKEN,
    ...(receiver ? { receiver } : { socketMode: true, appToken: config.SLACK_APP_TOKEN }),
    clientOptions,
    // Bolt's and its WebClient's own lines go through the bot's logger: structured and scrubbed.
    logger: boltLogger(services.log),
    logLevel: LogLevel.WARN,
  });
  // Posts that must land exactly once go through a client that never retries on its own.
  const onceClient = digestClient(config.SLACK_BOT_TOKEN!, clientOptions);
  const charts = slackChartFiles(onceClient, services.log);
  const poster = slackDigestPoster(onceClient, charts);
  services.addPoster(poster);
  services.addNoticeSender(slackNoticeSender(onceClient, { format: services.settings, callList: services.callList }));

  registerListeners(app, services, poster, charts);

  return {
    app,
    client: app.client,
    ...(receiver ? { requestListener: receiver.requestListener } : {}),
    start: async () => {
      if (socketMode) await app.start();
    },
    stop: async () => {
      if (socketMode) await app.stop();
    },
  };
}
