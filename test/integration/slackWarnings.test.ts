// `/warnings` end to end: signed slash commands into the running bot, answers read at the
// response_url of a local Slack stand-in, and the subscription read back from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { deliveryStore } from '../../src/store/deliveryStore.js';
import { startSlackStandIn, type SlackStandIn } from '../support/slackStandIn.js';
import { sendSlashCommand, waitFor } from '../support/slackRequests.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-warnings';
const cco = 'UCCO1';
const staff = 'USTAFF1';

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;
let reader: Database;
let responses = 0;

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: standIn.apiUrl,
    BOOTSTRAP_CCO_SLACK_IDS: cco,
    ORG_TIMEZONE: 'UTC',
  });
  bot = await startBot(config, { log: () => {} });
  reader = await openDatabase({ databaseUrl: db.url, pgliteDir: 'unused' });
});

afterAll(async () => {
  await reader?.close();
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

/** Sends `/warnings text` and returns the ephemeral answer the person sees. */
async function warnings(userId: string, channelId: string, text: string): Promise<string> {
  const responseId = `resp-${++responses}`;
  const { status } = await sendSlashCommand(bot.url, signingSecret, {
    command: '/warnings',
    text,
    userId,
    channelId,
    responseUrl: standIn.responseUrl(responseId),
  });
  expect(status).toBe(200);
  const call = await waitFor(
    () => standIn.callsTo('response_url').find((each) => each.args.responseId === responseId),
    { what: `an answer at ${responseId}` },
  );
  expect(call.args.response_type).toBe('ephemeral');
  return call.args.text as string;
}

const warningChannels = async () =>
  (await deliveryStore(reader.prisma).subscriptions('warnings')).map((row) => row.channelId);

describe('/warnings in Slack, end to end', () => {
  it('refuses staff, saving nothing, and subscribes the channel for the CCO (once)', async () => {
    expect(await warnings(staff, 'COPS', 'subscribe')).toMatch(
      /^Only the CCO or a leader can choose where early warnings are posted/,
    );
    expect(await warningChannels()).toEqual([]);

    expect(await warnings(cco, 'COPS', 'subscribe')).toMatch(/^This channel now gets early warnings/);
    expect(await warningChannels()).toEqual(['COPS']);
    expect(await warnings(cco, 'COPS', 'subscribe')).toBe(
      'This channel already gets early warnings. Nothing was changed.',
    );
    expect(await warningChannels()).toEqual(['COPS']);

    expect(await warnings(cco, 'COPS', 'unsubscribe')).toBe('This channel no longer gets early warnings.');
    expect(await warningChannels()).toEqual([]);
  });

  it('lists the moments for anyone', async () => {
    expect(await warnings(staff, 'COPS', 'moments')).toMatch(/^No moments that matter are named yet/);
  });
});
