// The running bot with Slack connected to a local stand-in of the Web API, on a fresh
// PostgreSQL: what every Slack end-to-end test starts from. `ask` sends a signed slash command
// and `press` a signed button, as Slack does; both return the answer the person sees.
import { expect } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { blockActionsPayload, sendInteraction, sendSlashCommand, waitFor } from './slackRequests.js';
import { startSlackStandIn, type RecordedCall, type SlackStandIn } from './slackStandIn.js';
import { freshDatabase, type TestDatabase } from './testDatabase.js';

export interface SlackBot {
  db: TestDatabase;
  standIn: SlackStandIn;
  bot: RunningBot;
  signingSecret: string;
  /** Sends `command text` as `userId` in `channelId`; resolves with the answer posted to its response_url. */
  ask(userId: string, channelId: string, command: string, text: string): Promise<RecordedCall>;
  /** Presses a button on a message the bot posted in `channelId`; resolves once the bot has answered the request. */
  press(
    userId: string,
    channelId: string,
    button: { actionId: string; value: string; message: { ts: string; text: string; blocks?: unknown[] } },
  ): Promise<{ responseId: string }>;
  /** The answer at a response_url, once it arrives. */
  answerAt(responseId: string): Promise<RecordedCall>;
  stop(): Promise<void>;
}

export async function startSlackBot(env: Record<string, string> = {}): Promise<SlackBot> {
  const signingSecret = `stand-in-signing-secret-${Math.random().toString(16).slice(2)}`;
  const db = await freshDatabase();
  const standIn = await startSlackStandIn();
  const bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      ORG_TIMEZONE: 'UTC',
      ...env,
    }),
    { log: () => {} },
  );
  let responses = 0;
  const answerAt = (responseId: string) =>
    waitFor(() => standIn.callsTo('response_url').find((each) => each.args.responseId === responseId), {
      what: `an answer at ${responseId}`,
    });
  return {
    db,
    standIn,
    bot,
    signingSecret,
    answerAt,
    async ask(userId, channelId, command, text) {
      const responseId = `resp-${++responses}`;
      const { status } = await sendSlashCommand(bot.url, signingSecret, {
        command,
        text,
        userId,
        channelId,
        responseUrl: standIn.responseUrl(responseId),
      });
      expect(status).toBe(200);
      return answerAt(responseId);
    },
    async press(userId, channelId, button) {
      const responseId = `resp-${++responses}`;
      const payload = blockActionsPayload(
        { userId, channelId, responseUrl: standIn.responseUrl(responseId) },
        { actionId: button.actionId, blockId: 'warning', value: button.value, onMessage: button.message },
      );
      const { status } = await sendInteraction(bot.url, signingSecret, payload);
      expect(status).toBe(200);
      return { responseId };
    },
    async stop() {
      await bot.stop();
      await standIn.close();
      await db.drop();
    },
  };
}
