// What must hold when many people press at once, or one person presses twice: the real bot
// (database, HTTP server, Bolt) receives signed slash commands and button presses at the same
// moment, exactly as Slack sends them, and talks to a local Slack Web API stand-in. No CCO is
// configured: the first `/cco claim` makes one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { startSlackStandIn, type RecordedCall, type SlackStandIn } from '../support/slackStandIn.js';
import { blockActionsPayload, sendInteraction, sendSlashCommand, waitFor } from '../support/slackRequests.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-trust';
const channel = 'C0TRUST';

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;
let responses = 0;
let ccoId: string;

const prisma = () => db.database.prisma;

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
    ORG_TIMEZONE: 'UTC',
  });
  bot = await startBot(config, { log: () => {} });
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

interface Sent {
  status: number;
  ack: Record<string, unknown> | undefined;
  responseId: string;
}

async function slash(userId: string, command: string, text: string): Promise<Sent> {
  const responseId = `trust-${++responses}`;
  const { status, body } = await sendSlashCommand(bot.url, signingSecret, {
    command,
    text,
    userId,
    channelId: channel,
    responseUrl: standIn.responseUrl(responseId),
  });
  return { status, ack: body ? (JSON.parse(body) as Record<string, unknown>) : undefined, responseId };
}

function answersTo(responseId: string): Array<RecordedCall['args']> {
  return standIn
    .callsTo('response_url')
    .filter((call) => call.args.responseId === responseId)
    .map((call) => call.args);
}

async function laterAnswer(sent: Sent): Promise<string> {
  expect(sent.status).toBe(200);
  const answer = await waitFor(() => answersTo(sent.responseId)[0], {
    what: `an answer at ${sent.responseId}`,
    timeoutMs: 30_000,
  });
  return String(answer.text);
}

const numberIn = (ack: Record<string, unknown> | undefined) =>
  Number(/^Logged as feedback #(\d+)$/.exec(String(ack?.text))?.[1]);

describe('claiming the CCO role', () => {
  it('makes exactly one CCO of ten people claiming at the same moment, and tells the other nine who it is', async () => {
    const claimants = Array.from({ length: 10 }, (_, index) => `UCLAIM${index}`);
    const sent = await Promise.all(claimants.map((userId) => slash(userId, '/cco', 'claim')));
    const answers = await Promise.all(sent.map(laterAnswer));

    const ccos = await prisma().role.findMany({ where: { role: 'cco' } });
    expect(ccos).toHaveLength(1);
    ccoId = ccos[0]!.userId;
    const winner = claimants.indexOf(ccoId);
    expect(answers[winner]).toBe(
      'You are now the CCO for this workspace. Give leaders their role with `/cco role @someone leader`.',
    );
    const others = answers.filter((_, index) => index !== winner);
    expect(others).toEqual(
      Array(9).fill(
        `<@${ccoId}> is already the CCO, so nothing was changed. Ask them to give you a role with \`/cco role\`.`,
      ),
    );
  });

  it('still lets the CCO give roles in Slack', async () => {
    expect(await laterAnswer(await slash(ccoId, '/cco', 'role <@ULEAD1|lee> leader'))).toBe(
      '<@ULEAD1> is now a leader.',
    );
    expect(
      await prisma().role.findUnique({ where: { platform_userId: { platform: 'slack', userId: 'ULEAD1' } } }),
    ).toMatchObject({ role: 'leader', grantedBy: ccoId });
  });
});

describe('twenty people logging the same complaint at the same moment', () => {
  const complaint = 'The checkout page is broken: paying with a saved card fails every time';
  const reporters = Array.from({ length: 20 }, (_, index) => `UREP${String(index).padStart(2, '0')}`);

  it('groups all twenty into one issue, and resolving it thanks all twenty', async () => {
    const sent = await Promise.all(reporters.map((userId) => slash(userId, '/feedback', complaint)));
    for (const one of sent) expect(one.status).toBe(200);
    const numbers = sent.map((one) => numberIn(one.ack));
    expect(new Set(numbers).size).toBe(20);

    // Sorted after the answers: wait until every one is filed.
    await waitFor(
      async () =>
        (await prisma().feedback.count({ where: { number: { in: numbers }, issueId: { not: null } } })) === 20,
      { what: 'all twenty filed', timeoutMs: 90_000 },
    );
    const issues = await prisma().issue.findMany({ include: { _count: { select: { feedback: true } } } });
    expect(issues.map((issue) => [issue._count.feedback, issue.title])).toEqual([[20, complaint]]);

    const resolved = await laterAnswer(
      await slash(ccoId, '/resolve', `${issues[0]!.number} Saved cards work at checkout again`),
    );
    expect(resolved).toContain('and thanking 20 people who logged it.');
    const thanks = await prisma().notice.findMany({ where: { kind: 'hopeThanks' } });
    expect(thanks.map((notice) => notice.target).sort()).toEqual(reporters);
  }, 150_000);
});

describe('one person sending the same words twice', () => {
  const words = 'The delivery driver left the parcel in the rain again';

  it('answers the second with the first one’s number and a button, and stores nothing new', async () => {
    const first = await slash('USAME1', '/feedback', words);
    const number = numberIn(first.ack);
    expect(number).toBeGreaterThan(0);

    const second = await slash('USAME1', '/feedback', words);
    expect(second.ack?.text).toBe(`You already logged this as #${number} a moment ago, so nothing new was saved.`);
    const blocks = JSON.stringify(second.ack?.blocks);
    expect(blocks).toContain('"action_id":"feedback_log_again"');
    expect(blocks).toContain('Log it again anyway');
    expect(await prisma().feedback.count({ where: { reporterId: 'USAME1' } })).toBe(1);

    // Someone else saying the same is a second report, not a repeat.
    expect(numberIn((await slash('USAME2', '/feedback', words)).ack)).toBeGreaterThan(number);
  });

  it('stores it again when they press "Log it again anyway"', async () => {
    const second = await slash('USAME1', '/feedback', words);
    const button = ((second.ack?.blocks ?? []) as Array<{ elements?: Array<{ action_id: string; value: string }> }>)
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'feedback_log_again')!;
    const responseId = `trust-${++responses}`;
    const pressed = await sendInteraction(
      bot.url,
      signingSecret,
      blockActionsPayload(
        { userId: 'USAME1', channelId: channel, responseUrl: standIn.responseUrl(responseId) },
        { actionId: 'feedback_log_again', blockId: 'feedback_again', value: button.value },
      ),
    );
    expect(pressed.status).toBe(200);

    const answer = await waitFor(() => answersTo(responseId)[0], { what: 'the answer to the button' });
    expect(answer.text).toMatch(/^Logged as feedback #\d+$/);
    const rows = await prisma().feedback.findMany({ where: { reporterId: 'USAME1' }, orderBy: { number: 'asc' } });
    expect(rows.map((row) => row.text)).toEqual([words, words]);
    expect(String(answer.text)).toBe(`Logged as feedback #${rows[1]!.number}`);
  });

  it('does not let someone else press the button to log a colleague’s words as theirs', async () => {
    const earlier = await prisma().feedback.findFirstOrThrow({ where: { reporterId: 'USAME1' } });
    const responseId = `trust-${++responses}`;
    await sendInteraction(
      bot.url,
      signingSecret,
      blockActionsPayload(
        { userId: 'UOTHER9', channelId: channel, responseUrl: standIn.responseUrl(responseId) },
        { actionId: 'feedback_log_again', blockId: 'feedback_again', value: JSON.stringify({ repeatOf: earlier.id }) },
      ),
    );
    const answer = await waitFor(() => answersTo(responseId)[0], { what: 'the refusal' });
    expect(answer.text).toBe(
      'Nothing was saved: I could not find the feedback to log again. Please log it with the words again.',
    );
    expect(await prisma().feedback.count({ where: { reporterId: 'UOTHER9' } })).toBe(0);
  });
});

describe('feedback with characters nobody can see', () => {
  it('takes control characters out, stores the words and says so', async () => {
    const sent = await slash('UCTRL1', '/feedback', 'Refund\u0000 never\u0007 arrived\u001b[0m\nsecond line\tend');
    const number = numberIn(sent.ack);
    const row = await prisma().feedback.findUniqueOrThrow({ where: { number } });
    expect(row.text).toBe('Refund never arrived[0m\nsecond line\tend');
    expect(JSON.stringify(sent.ack?.blocks)).toContain('I took out 3 control characters');
  });

  it('refuses text made only of invisible characters, in plain words, and stores nothing', async () => {
    const before = await prisma().feedback.count();
    const sent = await slash('UCTRL2', '/feedback', '\u200b\u200d\ufeff \u2060');
    expect(sent.ack?.text).toBe(
      'Nothing was saved: that text is made only of invisible characters (such as zero-width spaces), so there are no words to log. Type or paste what the customer said.',
    );
    expect(await prisma().feedback.count()).toBe(before);
  });
});
