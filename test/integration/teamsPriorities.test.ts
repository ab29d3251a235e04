// Priorities in Teams end to end: the real bot in emulator-mode authentication receives the
// activities Teams sends (typed commands and the add form's Action.Submit) and answers through
// a local Bot Framework connector stand-in. The owner is typed as a work email and looked up in
// the conversation; someone Teams does not know there saves nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { startConnectorStandIn, type ConnectorStandIn, type PostedActivity } from '../support/connectorStandIn.js';
import {
  messageActivity,
  postActivity,
  submitActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const cco: TeamsUser = { id: '29:cco', aadObjectId: 'aad-cco-0001', name: 'Chris CCO' };
const chat: TeamsConversationShape = { id: 'a:personal-cco', conversationType: 'personal' };

let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  connector.addMember({ id: '29:dana', aadObjectId: 'aad-dana-0001', name: 'Dana Owner', email: 'dana@example.com' });
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TEAMS_EMULATOR: 'true',
      BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId,
      ORG_TIMEZONE: 'UTC',
    }),
    { log: () => {} },
  );
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

async function send(activity: Record<string, unknown>): Promise<PostedActivity[]> {
  const before = connector.activities(chat.id).length;
  expect((await postActivity(bot.url, activity)).status).toBe(200);
  return connector.activities(chat.id).slice(before);
}

const say = (words: string) => send(messageActivity(connector.serviceUrl, chat, cco, words));
const cardOf = (answer: PostedActivity) =>
  (answer.activity.attachments as Array<{ content: { body: Array<Record<string, unknown>> } }>)[0]!.content;

describe('priorities in Teams', () => {
  it('offers the add form as a valid card with the company’s stages', async () => {
    const [answer] = await say('priorities add');
    const form = cardOf(answer!);
    expect(adaptiveCardProblems(form)).toEqual([]);
    expect(form.body.map((element) => element.id).filter(Boolean)).toEqual([
      'title',
      'owner',
      'stageIds',
      'stopDoing',
      'startedOn',
    ]);
  });

  it('saves nothing for an owner Teams does not know here, and adds it for one it does', async () => {
    const stage = await db.database.prisma.journeyStage.findFirstOrThrow({ where: { name: 'Get help' } });
    const form = {
      action: 'priority_add',
      title: 'Answer calls fast',
      stageIds: stage.id,
      stopDoing: 'the new-markets launch until calls are answered',
    };
    const [unknown] = await send(
      submitActivity(connector.serviceUrl, chat, cco, { ...form, owner: 'nobody@example.com' }),
    );
    expect(JSON.stringify(unknown!.activity)).toContain('I could not find nobody@example.com');
    expect(await db.database.prisma.priority.count()).toBe(0);

    const [added] = await send(submitActivity(connector.serviceUrl, chat, cco, { ...form, owner: 'dana@example.com' }));
    expect(JSON.stringify(added!.activity)).toContain('Answer calls fast” is set.');
    expect(await db.database.prisma.priority.findFirstOrThrow()).toMatchObject({
      ownerPlatform: 'teams',
      ownerId: 'aad-dana-0001',
      ownerName: 'Dana Owner',
    });

    const [list] = await say('priorities');
    const words = JSON.stringify(cardOf(list!));
    expect(words).toContain('Answer calls fast');
    expect(words).toContain('owner Dana Owner');
    expect(words).toContain('the book recommends 5 to 10');
  });

  it('refuses done before any quiet week has passed, with the figures', async () => {
    const [answer] = await say('priorities done 1');
    expect(JSON.stringify(answer!.activity)).toContain('is not done yet: it started on');
    expect((await db.database.prisma.priority.findFirstOrThrow()).doneAt).toBeNull();
  });
});
