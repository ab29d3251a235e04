// Teams `cco …`, end to end: roles by @-mention, `cco claim`, and the company language,
// over real HTTP activities to /api/messages (emulator-mode authentication), a Bot
// Framework connector stand-in and a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { startConnectorStandIn, type ConnectorStandIn, type PostedActivity } from '../support/connectorStandIn.js';
import {
  mentionActivity,
  messageActivity,
  postActivity,
  type TeamsConversationShape,
  type TeamsUser,
} from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const cco: TeamsUser = { id: '29:cco', aadObjectId: 'a0000000-0000-4000-8000-00000000cc00', name: 'Chris CCO' };
const staff: TeamsUser = { id: '29:staff', aadObjectId: 'a0000000-0000-4000-8000-000000005a01', name: 'Sam Staff' };
const rep: TeamsUser = { id: '29:rep', aadObjectId: 'a0000000-0000-4000-8000-000000005a02', name: 'Robin Rep' };
const dana: TeamsUser = { id: '29:dana', aadObjectId: 'a0000000-0000-4000-8000-00000000da01', name: 'Dana Lee' };
/** Mentioned, but not someone Teams knows in the conversation. */
const stranger: TeamsUser = {
  id: '29:stranger',
  aadObjectId: 'a0000000-0000-4000-8000-0000000000f1',
  name: 'Sol Stranger',
};
const email = (user: TeamsUser) => `${user.name.split(' ')[0]!.toLowerCase()}@example.com`;
const leadership: TeamsConversationShape = { id: '19:roles-leadership@thread.tacv2', conversationType: 'channel' };
const personal = (user: TeamsUser): TeamsConversationShape => ({
  id: `a:roles-personal-${user.id.slice(3)}`,
  conversationType: 'personal',
});

let connector: ConnectorStandIn;

interface CardJson {
  body: unknown[];
}
/** The one card the bot answered with, checked as Teams would read it, with Markdown escapes and JSON quoting taken out. */
function answerOf(answers: PostedActivity[]): string {
  expect(answers).toHaveLength(1);
  const attachments = answers[0]!.activity.attachments as Array<{ contentType: string; content: CardJson }>;
  expect(attachments).toHaveLength(1);
  expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  expect(adaptiveCardProblems(attachments[0]!.content)).toEqual([]);
  return JSON.stringify(attachments[0]!.content).replace(/\\/g, '');
}

/** A bot on its own database, sharing the connector stand-in. */
function teamsBot(env: Record<string, string>) {
  const running = { db: undefined as unknown as TestDatabase, bot: undefined as unknown as RunningBot };
  beforeAll(async () => {
    running.db = await freshDatabase();
    const config = loadConfig({
      DATABASE_URL: running.db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TEAMS_EMULATOR: 'true',
      ORG_TIMEZONE: 'UTC',
      ORG_CURRENCY: 'EUR',
      ...env,
    });
    running.bot = await startBot(config, { log: () => {} });
  });
  afterAll(async () => {
    await running.bot?.stop();
    await running.db?.drop();
  });
  /** What the bot posted in the conversation while it handled `activity`. */
  async function exchange(conversation: TeamsConversationShape, activity: unknown): Promise<PostedActivity[]> {
    const before = connector.activities(conversation.id).length;
    const sent = await postActivity(running.bot.url, activity);
    expect(sent.status).toBe(200);
    return connector.activities(conversation.id).slice(before);
  }
  const say = async (from: TeamsUser, conversation: TeamsConversationShape, words: string) =>
    answerOf(await exchange(conversation, messageActivity(connector.serviceUrl, conversation, from, words)));
  /** `words` holds `@Name` where each mentioned person goes, written as Teams writes a mention. */
  const sayWithMentions = async (
    from: TeamsUser,
    conversation: TeamsConversationShape,
    words: string,
    mentioned: TeamsUser[],
  ) => {
    const text = mentioned.reduce((sofar, user) => sofar.replace(`@${user.name}`, `<at>${user.name}</at>`), words);
    return answerOf(
      await exchange(conversation, mentionActivity(connector.serviceUrl, conversation, from, text, mentioned)),
    );
  };
  const roleOf = async (user: TeamsUser) =>
    (
      await running.db.database.prisma.role.findUnique({
        where: { platform_userId: { platform: 'teams', userId: user.aadObjectId! } },
      })
    )?.role;
  return { running, say, sayWithMentions, roleOf };
}

beforeAll(async () => {
  connector = await startConnectorStandIn();
  for (const user of [cco, staff, rep, dana])
    connector.addMember({ id: user.id, aadObjectId: user.aadObjectId!, name: user.name, email: email(user) });
});

afterAll(async () => {
  await connector?.close();
});

describe('Teams roles with a bootstrap CCO', () => {
  const { running, say, sayWithMentions, roleOf } = teamsBot({ BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId! });

  it('refuses staff who try to give a role, in plain words, and changes nothing', async () => {
    const answer = await sayWithMentions(staff, leadership, 'cco role @Dana Lee leader', [dana]);
    expect(answer).toContain('No role was changed');
    expect(answer).toContain(
      'Only the CCO can change who is a CCO, leader or staff. You are staff here; ask your CCO if that should change.',
    );
    expect(await roleOf(dana)).toBeUndefined();
    expect(await say(dana, leadership, 'digest subscribe')).toContain(
      'Only the CCO or a leader can subscribe or unsubscribe a channel to the Monday digest.',
    );
  });

  it('lets the bootstrap CCO make a mentioned member a leader, who can then subscribe the conversation to the digest', async () => {
    expect(await sayWithMentions(cco, leadership, 'cco role @Dana Lee Leader', [dana])).toContain(
      'Dana Lee is now a leader.',
    );
    // Stored under the Entra object id, the id Dana is known by when she speaks.
    expect(await roleOf(dana)).toBe('leader');
    expect(await running.db.database.prisma.role.count({ where: { userId: dana.id } })).toBe(0);

    expect(await say(dana, leadership, 'digest subscribe')).toContain(
      'This conversation will get the customer asset digest',
    );
    expect(await running.bot.services.digestSubscriptions()).toEqual([
      expect.objectContaining({ platform: 'teams', channelId: leadership.id, subscribedBy: dana.aadObjectId }),
    ]);
  });

  it('gives no role to someone Teams cannot find in the conversation, and explains how to name people', async () => {
    expect(await sayWithMentions(cco, leadership, 'cco role @Sol Stranger leader', [stranger])).toContain(
      'I could not find Sol Stranger in this conversation, so no role was changed.',
    );
    expect(
      await running.db.database.prisma.role.count({ where: { userId: { in: [stranger.id, stranger.aadObjectId!] } } }),
    ).toBe(0);
    for (const words of ['cco role dana leader', 'cco role @Dana Lee boss']) {
      expect(await sayWithMentions(cco, leadership, words, [dana])).toContain(
        'Name the person with an @-mention and a role, like `cco role @dana leader`.',
      );
    }
    expect(await roleOf(dana)).toBe('leader');
  });

  it('does not let anyone claim the CCO role while Teams has one, and says who it is', async () => {
    expect(await say(staff, personal(staff), 'cco claim')).toContain(
      'Chris CCO is already the CCO, so nothing was changed. Ask them to give you a role with “cco role”.',
    );
    expect(await roleOf(staff)).toBeUndefined();
  });

  it('lists the company’s stages and categories to anyone', async () => {
    expect(await say(staff, personal(staff), 'cco stages')).toContain(
      'The journey stages are: Discover, Decide, Start, Use, Get help, Renew or leave.',
    );
    expect(await say(staff, personal(staff), 'cco categories')).toContain(
      'The categories are: Billing, Price, Delivery',
    );
  });

  it('lets the CCO rename a stage, keeping its history, and refuses staff', async () => {
    const before = (await running.bot.services.language.vocabulary()).stages.find(
      (stage) => stage.name === 'Get help',
    )!;
    expect(await say(staff, leadership, 'cco stages rename Get help to Support')).toContain(
      'Only the CCO can change the company-wide journey stages and categories.',
    );

    const answer = await say(cco, leadership, 'cco stages rename Get help to Support');
    expect(answer).toContain('Company language changed');
    expect(answer).toContain('Renamed "Get help" to "Support". Everything filed under it keeps its history.');
    const after = (await running.bot.services.language.vocabulary()).stages.find((stage) => stage.name === 'Support');
    expect(after?.id).toBe(before.id);
    expect(await say(staff, personal(staff), 'cco stages')).toContain(
      'The journey stages are: Discover, Decide, Start, Use, Support, Renew or leave.',
    );
  });

  it('lets the CCO set the stages and a category’s keywords', async () => {
    expect(await say(cco, leadership, 'cco stages Discover, Decide, Start, Use, Support, Renew')).toContain(
      'The journey stages are now: Discover, Decide, Start, Use, Support, Renew.',
    );
    expect(await say(cco, leadership, 'cco keywords category Billing: invoice, refund')).toContain(
      'Feedback mentioning invoice, refund will be filed under "Billing" when no model is available.',
    );
    const billing = (await running.bot.services.language.vocabulary()).categories.find(
      (category) => category.name === 'Billing',
    );
    expect(billing?.keywords).toEqual(['invoice', 'refund']);
  });

  it('answers bare “cco” with what it does, and an unknown word plainly', async () => {
    expect(await say(staff, personal(staff), 'cco')).toContain('cco claim');
    expect(await say(staff, personal(staff), 'cco frobnicate')).toContain("I don't know `cco frobnicate`.");
  });
});

describe('Teams roles with no CCO anywhere yet', () => {
  const { say, sayWithMentions, roleOf } = teamsBot({});

  it('lets the first person claim the CCO role, and nobody after them', async () => {
    expect(await sayWithMentions(rep, leadership, 'cco role @Dana Lee leader', [dana])).toContain(
      'Only the CCO can change who is a CCO, leader or staff.',
    );
    expect(await say(rep, personal(rep), 'cco claim')).toContain(
      'You are now the CCO for this organisation in Teams. Give leaders their role with “cco role @someone leader”.',
    );
    expect(await roleOf(rep)).toBe('cco');
    expect(await say(staff, personal(staff), 'cco claim')).toContain(
      'Robin Rep is already the CCO, so nothing was changed.',
    );
    expect(await roleOf(staff)).toBeUndefined();

    expect(await sayWithMentions(rep, leadership, 'cco role @Dana Lee leader', [dana])).toContain(
      'Dana Lee is now a leader.',
    );
    expect(await roleOf(dana)).toBe('leader');
  });
});

describe('a Teams newcomer in an organisation whose CCO is in Slack', () => {
  // The Slack CCO counts for `cco claim`, but gives no rights in Teams: roles are per platform.
  const { running, say, sayWithMentions, roleOf } = teamsBot({ BOOTSTRAP_CCO_SLACK_IDS: 'UCCO1' });

  it('cannot claim the CCO role', async () => {
    const answer = await say(staff, personal(staff), 'cco claim');
    expect(answer).toContain('Nothing was changed');
    expect(answer).toContain('Your organisation already has a CCO, in Slack, so nothing was changed.');
    expect(await roleOf(staff)).toBeUndefined();
  });

  it('cannot change the company language', async () => {
    expect(await say(staff, leadership, 'cco stages Mine, Yours')).toContain(
      'Only the CCO can change the company-wide journey stages and categories.',
    );
    expect(await say(staff, leadership, 'cco keywords category Billing: nothing')).toContain('Only the CCO can change');
    expect((await running.bot.services.language.vocabulary()).stages.map((stage) => stage.name)).toEqual([
      'Discover',
      'Decide',
      'Start',
      'Use',
      'Get help',
      'Renew or leave',
    ]);
  });

  it('cannot give anyone a role, themselves included', async () => {
    expect(await sayWithMentions(staff, leadership, 'cco role @Dana Lee cco', [dana])).toContain(
      'Only the CCO can change who is a CCO, leader or staff.',
    );
    expect(await sayWithMentions(staff, leadership, 'cco role @Sam Staff cco', [staff])).toContain(
      'No role was changed',
    );
    expect(await running.db.database.prisma.role.count()).toBe(0);
  });
});
