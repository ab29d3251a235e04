// Early warnings in Teams, end to end: activities posted to /api/messages (emulator-mode
// authentication), the warning card sent through the outbox to a Bot Framework connector
// stand-in, and what people in the conversation then see: the owner mentioned, the card
// redrawn in place once someone acknowledges it, and the issues behind it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultLanguage } from '../../src/domain/language.js';
import type { RunningBot } from '../../src/startBot.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import type { ConnectorStandIn, PostedActivity } from '../support/connectorStandIn.js';
import { outboxSettled } from '../support/outbox.js';
import {
  installActivity,
  messageActivity,
  postActivity,
  submitActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { startTeamsBot, type TeamsBot } from '../support/teamsBot.js';
import type { TestDatabase } from '../support/testDatabase.js';

const cco: TeamsUser = { id: '29:cco', aadObjectId: 'a0000000-0000-4000-8000-00000000cc00', name: 'Chris CCO' };
const staff: TeamsUser = { id: '29:staff', aadObjectId: 'a0000000-0000-4000-8000-000000005a01', name: 'Sam Staff' };
const owner = { aadObjectId: 'a0000000-0000-4000-8000-00000000da01', name: 'Dana Lee' };
const leadership: TeamsConversationShape = { id: '19:leadership@thread.tacv2', conversationType: 'channel' };
const moment = 'Call answered';

interface CardJson {
  body: unknown[];
  actions?: Array<{ type: string; title: string; data?: Record<string, unknown> }>;
  msteams?: { entities?: Array<{ type: string; text: string; mentioned: { id: string; name: string } }> };
}

let teams: TeamsBot;
let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'teams-warnings-'));
  const languageFile = path.join(folder, 'language.json');
  const moments = [
    {
      name: moment,
      stage: 'Get help',
      metric: 'Average time to answer a call',
      unit: 'seconds',
      better: 'lower',
      standard: 60,
      owner: { platform: 'teams', person: owner.aadObjectId, name: owner.name },
    },
  ];
  await writeFile(languageFile, JSON.stringify({ ...defaultLanguage, moments }));
  teams = await startTeamsBot({ BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId!, LANGUAGE_FILE: languageFile });
  ({ db, connector, bot } = teams);
});

afterAll(async () => {
  await teams?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** What the stand-in gained in the conversation while the activity was handled. */
async function exchange(activity: unknown): Promise<PostedActivity[]> {
  const before = connector.activities(leadership.id).length;
  expect((await postActivity(bot.url, activity)).status).toBe(200);
  return connector.activities(leadership.id).slice(before);
}
function cardOf(posted: PostedActivity): CardJson {
  const [attachment] = posted.activity.attachments as Array<{ content: CardJson }>;
  expect(adaptiveCardProblems(attachment!.content)).toEqual([]);
  return attachment!.content;
}
const readable = (card: CardJson) => JSON.stringify(card).replace(/\\/g, '');
const warningCards = () =>
  connector.activities(leadership.id).filter((posted) => readable(cardOf(posted)).includes('Early warning'));
const press = (from: TeamsUser, value: Record<string, unknown>, replyToId: string) =>
  exchange(submitActivity(connector.serviceUrl, leadership, from, value, replyToId));

describe('a warning card in Teams', () => {
  let posted: PostedActivity;
  let warningId: string;

  beforeAll(async () => {
    await exchange(installActivity(connector.serviceUrl, leadership, cco));
    const [answer] = await exchange(messageActivity(connector.serviceUrl, leadership, cco, 'warnings subscribe'));
    expect(readable(cardOf(answer!))).toContain('This channel now gets early warnings');

    const vocabulary = await bot.services.language.vocabulary();
    const logged = await bot.services.logFeedback(
      { platform: 'teams', userId: staff.aadObjectId! },
      {
        text: 'Nobody picked up the phone for twenty minutes',
        stageId: vocabulary.stages.find((stage) => stage.name === 'Get help')!.id,
        categoryId: vocabulary.categories[0]!.id,
      },
    );
    if (!logged.ok) throw new Error('the feedback was not logged');
    await bot.services.sortFeedback(logged.view.feedback.id);
    const readings = [{ external_id: 'call-1', moment, value: 95, measured_at: new Date().toISOString() }];
    expect(await bot.warnings.recordReadings(readings, { checkAfter: false })).toMatchObject({ stored: 1 });
    await bot.warnings.checkWarnings();
    await outboxSettled(bot.services, db.database.prisma);
    expect(warningCards()).toHaveLength(1);
    posted = warningCards()[0]!;
    warningId = String(cardOf(posted).actions![0]!.data!.warningId);
  });

  it('mentions the moment’s owner, so Teams notifies them, and carries Acknowledge, Open the issues and Make it a priority', () => {
    const card = cardOf(posted);
    expect(JSON.stringify(card.body)).toContain(`Owner: <at>${owner.name}</at>`);
    expect(card.msteams?.entities).toEqual([
      { type: 'mention', text: `<at>${owner.name}</at>`, mentioned: { id: owner.aadObjectId, name: owner.name } },
    ]);
    expect(card.actions!.map((action) => action.title)).toEqual([
      'Acknowledge',
      'Open the issues',
      'Make it a priority',
    ]);
  });

  it('tells staff who can acknowledge, and leaves the card as it was', async () => {
    const before = connector.calls.length;
    const [answer] = await press(staff, cardOf(posted).actions![0]!.data!, posted.id);
    expect(readable(cardOf(answer!))).toContain('Only the CCO or a leader can acknowledge an early warning');
    expect(connector.calls.slice(before).filter((call) => call.operation === 'update')).toEqual([]);
  });

  it('once the CCO acknowledges, the card itself says by whom and when, without its Acknowledge action', async () => {
    const before = connector.calls.length;
    const answers = await press(cco, cardOf(posted).actions![0]!.data!, posted.id);
    expect(answers).toEqual([]);
    const updates = connector.calls
      .slice(before)
      .filter((call) => call.operation === 'update' && call.activityId === posted.id);
    expect(updates).toHaveLength(1);
    const card = cardOf(warningCards().find((one) => one.id === posted.id)!);
    expect(readable(card)).toMatch(/Acknowledged by Chris CCO at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(card.actions!.map((action) => action.title)).toEqual(['Open the issues', 'Make it a priority']);
    expect(card.msteams?.entities).toHaveLength(1);
    expect(await db.database.prisma.warning.findUniqueOrThrow({ where: { id: warningId } })).toMatchObject({
      acknowledgedBy: `teams:${cco.aadObjectId}`,
      acknowledgedByName: cco.name,
    });
  });

  it('Open the issues answers with the open issues at the warning’s stage', async () => {
    const [answer] = await press(staff, { action: 'warning_issues', warningId }, posted.id);
    const shown = readable(cardOf(answer!));
    expect(shown).toContain('Open issues for Get help, busiest first.');
    expect(shown).toContain('Nobody picked up the phone for twenty minutes');
  });
});
