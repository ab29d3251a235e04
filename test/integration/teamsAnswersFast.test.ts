// Teams answers fast: the HTTP answer to an activity never waits on the model, on the sorting
// queue Slack shares, or on a connector that stopped answering. Real HTTP activities to the
// running bot (emulator mode), the connector and OpenAI stand-ins, and a real PostgreSQL. The
// model is held until the test lets it answer, so each order below is forced, not timed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { sorry } from '../../src/teams/adapter.js';
import { startConnectorStandIn, type ConnectorStandIn, type PostedActivity } from '../support/connectorStandIn.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openaiStandIn.js';
import {
  messageActivity,
  postActivity,
  submitActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const staff: TeamsUser = { id: '29:staff', aadObjectId: 'a0000000-0000-4000-8000-000000005a01', name: 'Sam Staff' };
const chat: TeamsConversationShape = { id: 'a:personal-staff', conversationType: 'personal' };
const billing = { stage: 'Get help', category: 'Billing', sentiment: 'negative', summary: 'Refund took weeks' };

let db: TestDatabase;
let connector: ConnectorStandIn;
let model: OpenAiStandIn;
/** Waits as long as the model takes: only the test's release ends a held request. */
let patient: RunningBot;
/** Gives up on the model after two seconds, as production does after OPENAI_TIMEOUT_MS. */
let hasty: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  model = await startOpenAiStandIn();
  const settings = {
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    TEAMS_EMULATOR: 'true',
    ORG_TIMEZONE: 'UTC',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: model.baseURL,
  };
  patient = await startBot(loadConfig({ ...settings, OPENAI_TIMEOUT_MS: '120000' }), { log: () => {} });
  hasty = await startBot(loadConfig({ ...settings, OPENAI_TIMEOUT_MS: '2000' }), { log: () => {} });
});

afterAll(async () => {
  await patient?.stop();
  await hasty?.stop();
  await model?.close();
  await connector?.close();
  await db?.drop();
});

const updatesOf = (activityId: string) =>
  connector.calls.filter((call) => call.operation === 'update' && call.activityId === activityId);
const shown = (posted: PostedActivity) => JSON.stringify(posted.activity);
const feedbackSaying = (text: string) => db.database.prisma.feedback.findFirstOrThrow({ where: { text } });
const wait = { timeout: 60_000, interval: 50 };

/** Posts and returns what was new in the chat when the HTTP answer came back. */
async function send(bot: RunningBot, activity: unknown): Promise<PostedActivity[]> {
  const before = connector.activities(chat.id).length;
  const answer = await postActivity(bot.url, activity);
  expect(answer.status).toBe(200);
  return connector.activities(chat.id).slice(before);
}
const feedback = (bot: RunningBot, words: string) =>
  send(bot, messageActivity(connector.serviceUrl, chat, staff, `feedback ${words}`));

describe('Teams feedback is answered before it is sorted', () => {
  it('answers “Logged as feedback #N” while the model is still thinking, then files it in the same message', async () => {
    const release = model.hold(billing);
    const answers = await feedback(patient, 'The refund took three weeks');
    // The HTTP answer is back, and the model has the request but has not answered it.
    await vi.waitFor(() => expect(model.waiting()).toBe(1), wait);
    const stored = await feedbackSaying('The refund took three weeks');
    expect(answers).toHaveLength(1);
    expect(shown(answers[0]!)).toContain(`Logged as feedback #${stored.number}`);
    expect(stored.stageId).toBeNull();
    expect(updatesOf(answers[0]!.id)).toEqual([]);

    release();
    await vi.waitFor(() => expect(updatesOf(answers[0]!.id)).toHaveLength(1), wait);
    const filed = await db.database.prisma.feedback.findUniqueOrThrow({
      where: { id: stored.id },
      include: { stage: true, category: true },
    });
    expect(filed).toMatchObject({ classifiedBy: 'model', stage: { name: 'Get help' }, category: { name: 'Billing' } });
    const card = shown(connector.activities(chat.id).find((entry) => entry.id === answers[0]!.id)!);
    expect(card).toContain('"action":"feedback_correct"');
    expect(card).toContain(`Logged as feedback #${stored.number}`);
  });

  it('answers the feedback form at once too, while the model holds the sorting', async () => {
    const release = model.hold(billing);
    const answers = await send(
      patient,
      submitActivity(connector.serviceUrl, chat, staff, {
        action: 'feedback_log',
        verbatim: 'Charged twice for one order',
        source: 'web',
      }),
    );
    await vi.waitFor(() => expect(model.waiting()).toBe(1), wait);
    expect(answers).toHaveLength(1);
    expect(shown(answers[0]!)).toContain('Logged as feedback #');
    expect(updatesOf(answers[0]!.id)).toEqual([]);
    release();
    await vi.waitFor(() => expect(updatesOf(answers[0]!.id)).toHaveLength(1), wait);
  });

  it('never makes a Teams turn wait on the sorting queue it shares with Slack', async () => {
    const releases = [model.hold(billing), model.hold(billing)];
    model.reply(billing);
    const first = await feedback(patient, 'First of a burst');
    const second = await feedback(patient, 'Second of a burst');
    // Both sorting places are taken, and held.
    await vi.waitFor(() => expect(model.waiting()).toBe(2), wait);
    const requestsBefore = model.requests.length;

    const third = await feedback(patient, 'Third of a burst');
    expect(third).toHaveLength(1);
    expect(shown(third[0]!)).toContain(`Logged as feedback #${(await feedbackSaying('Third of a burst')).number}`);
    // Its sorting waits in the queue, after the turn answered: the model has not even been asked.
    expect(model.requests.length).toBe(requestsBefore);

    for (const release of releases) release();
    for (const answers of [first, second, third])
      await vi.waitFor(() => expect(updatesOf(answers[0]!.id)).toHaveLength(1), wait);
    expect(model.requests.length).toBe(requestsBefore + 1);
  });

  it('still files it, by keywords, when the model never answers', async () => {
    model.hang();
    const answers = await feedback(hasty, 'The invoice total was wrong again');
    expect(answers).toHaveLength(1);
    expect(shown(answers[0]!)).toContain('Logged as feedback #');
    // The answer was there when the HTTP answer came back; the filed card only comes after the model is given up on.
    await vi.waitFor(() => expect(updatesOf(answers[0]!.id)).toHaveLength(1), wait);
    const filed = await feedbackSaying('The invoice total was wrong again');
    expect(filed).toMatchObject({ classifiedBy: 'keywords', needsReclassification: true });
  });
});

describe('Teams and a connector that stops answering', () => {
  it('gives up on a hung reply instead of holding the turn, and says sorry once the connector answers again', async () => {
    connector.hangNext(1);
    const before = connector.calls.length;
    const answers = await send(patient, messageActivity(connector.serviceUrl, chat, staff, 'help'));
    const calls = connector.calls
      .slice(before)
      .filter((call) => call.operation === 'reply' || call.operation === 'send');
    // The hung reply was never answered (status 0); the apology after it was.
    expect(calls.map((call) => call.status)).toEqual([0, 200]);
    expect(answers).toHaveLength(1);
    expect(shown(answers[0]!)).toContain(sorry);
  });
});
