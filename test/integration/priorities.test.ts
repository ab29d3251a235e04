// Priorities end to end: the real bot on a fresh PostgreSQL receives signed slash commands and
// form submissions exactly as Slack sends them, and talks to a local Slack Web API stand-in.
// Complaints are feedback rows logged in past weeks, so a priority that started six weeks ago
// has a baseline and six complete weeks to be judged by. Ten are open, an eleventh is refused;
// "done" is refused with the figures while complaints stay up and accepted after four quiet
// weeks, announced in the announcement channel and thanked in a DM to each reporter, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { addDays, weekContaining } from '../../src/domain/weeks.js';
import { unescapeMrkdwn } from '../../src/render/slackText.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import {
  blockActionsPayload,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
  waitFor,
} from '../support/slackRequests.js';
import { startSlackStandIn, type SlackStandIn, type StoredMessage } from '../support/slackStandIn.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const signingSecret = 'stand-in-signing-secret-priorities';
const cco = 'UCCO1';
const staff = 'USTAFF1';
const reporters = ['UREPORT1', 'UREPORT2'];
const owner = 'UOWNER1';
const hopeChannel = 'C0HOPE';
const roomChannel = 'C0ROOM';
const noticeEvent = 'customer_growth_notice';

let db: TestDatabase;
let standIn: SlackStandIn;
let bot: RunningBot;
let responses = 0;
const prisma = () => db.database.prisma;

/** The Monday six weeks before this one: the priorities start then, so six complete weeks have passed. */
const thisWeek = weekContaining(new Date(), 'UTC');
const startedOn = addDays(thisWeek, -42);
let stages: Record<string, string>;

beforeAll(async () => {
  db = await freshDatabase();
  standIn = await startSlackStandIn();
  bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: standIn.apiUrl,
      BOOTSTRAP_CCO_SLACK_IDS: cco,
      ORG_TIMEZONE: 'UTC',
    }),
    { log: () => {} },
  );
  const rows = await prisma().journeyStage.findMany({ where: { retiredAt: null } });
  stages = Object.fromEntries(rows.map((row) => [row.name, row.id]));
});

afterAll(async () => {
  await bot?.stop();
  await standIn?.close();
  await db?.drop();
});

/**
 * Complaints at a stage: 8 in each of the 8 weeks before the start (a baseline of 8 a week), then
 * `since[i]` in the i-th week after it, each on that week's Wednesday, by the reporters in turn.
 */
async function complaintsAt(stageId: string, since: number[]) {
  const weeks = [...Array.from({ length: 8 }, () => 8), ...since];
  const data = weeks.flatMap((count, index) =>
    Array.from({ length: count }, (_, n) => ({
      platform: 'slack' as const,
      reporterId: reporters[n % 2]!,
      text: `The invoice charged us twice again (${index}.${n})`,
      source: 'call_centre' as const,
      stageId,
      sentiment: 'negative' as const,
      loggedAt: new Date(`${addDays(startedOn, 7 * (index - 8) + 2)}T12:00:00Z`),
    })),
  );
  await prisma().feedback.createMany({ data });
}

/** Sends a slash command; `answer()` waits for what the bot said back (a form that opens says nothing). */
async function slash(userId: string, channelId: string, command: string, text: string) {
  const responseId = `resp-${++responses}`;
  const { status } = await sendSlashCommand(bot.url, signingSecret, {
    command,
    text,
    userId,
    channelId,
    responseUrl: standIn.responseUrl(responseId),
  });
  expect(status).toBe(200);
  return {
    answer: () =>
      waitFor(() => standIn.callsTo('response_url').find((call) => call.args.responseId === responseId)?.args, {
        what: `the answer to ${command} ${text}`,
      }),
  };
}

const answerText = async (userId: string, command: string, text: string, channelId = 'C0WORK') =>
  unescapeMrkdwn(String((await (await slash(userId, channelId, command, text)).answer()).text));

/** Submits the add form as Slack would; the acknowledgement carries any errors under the fields. */
async function submitForm(
  userId: string,
  form: { title: string; stageIds: string[]; stopDoing: string; startedOn?: string; ownerId?: string },
) {
  const payload = viewSubmissionPayload(userId, {
    callbackId: 'priority_modal',
    values: {
      title: { value: { type: 'plain_text_input', value: form.title } },
      owner: { value: { type: 'users_select', selected_user: form.ownerId ?? owner } },
      stages: {
        value: { type: 'multi_static_select', selected_options: form.stageIds.map((value) => ({ value })) },
      },
      stop_doing: { value: { type: 'plain_text_input', value: form.stopDoing } },
      started: { value: { type: 'datepicker', selected_date: form.startedOn ?? null } },
    },
  });
  const { status, body } = await sendInteraction(bot.url, signingSecret, payload);
  expect(status).toBe(200);
  return body ? (JSON.parse(body) as { response_action?: string; errors?: Record<string, string> }) : {};
}

const notices = (messages: StoredMessage[]) =>
  messages.filter((message) => message.metadata?.event_type === noticeEvent);
const dms = (userId: string) => notices(standIn.messages(standIn.dmChannel(userId)));

async function outboxSettled(): Promise<void> {
  await waitFor(
    async () => (await prisma().notice.count({ where: { status: { in: ['pending', 'sending'] } } })) === 0,
    { what: 'the outbox to be sent', timeoutMs: 15_000 },
  );
}

describe('priorities over Slack', () => {
  let stuck: number;
  let quiet: number;

  beforeAll(async () => {
    await complaintsAt(stages['Get help']!, [9, 7, 12, 9, 7, 12]);
    await complaintsAt(stages['Renew or leave']!, [9, 9, 3, 2, 1, 0]);
    expect(await answerText(cco, '/issues', 'announce-here', hopeChannel)).toMatch(/^When an issue is resolved/);
  });

  it('lets staff read the priorities but not add one', async () => {
    expect(await answerText(staff, '/priorities', 'add')).toBe(
      'Only the CCO or a leader can add a priority or mark one done. You are staff here; ask your CCO if that should change.',
    );
    expect(
      await submitForm(staff, { title: 'Sneaky', stageIds: [stages.Use!], stopDoing: 'nothing at all, really' }),
    ).toMatchObject({
      response_action: 'errors',
    });
    expect(await prisma().priority.count()).toBe(0);
  });

  it('opens the form for the CCO, and refuses a priority that stops nothing, saying nothing was saved', async () => {
    await slash(cco, 'C0WORK', '/priorities', 'add');
    const opened = await waitFor(
      () =>
        standIn
          .callsTo('views.open')
          .find((call) => (call.args.view as { callback_id?: string }).callback_id === 'priority_modal'),
      { what: 'the add form' },
    );
    const blocks = (opened.args.view as { blocks: Array<{ block_id: string }> }).blocks.map((block) => block.block_id);
    expect(blocks).toEqual(['title', 'owner', 'stages', 'stop_doing', 'started']);

    const refused = await submitForm(cco, {
      title: 'Answer calls fast',
      stageIds: [stages['Get help']!],
      stopDoing: '',
    });
    expect(refused.response_action).toBe('errors');
    expect(refused.errors?.stop_doing).toMatch(/Say what the company stops doing.*Nothing was saved\.$/);
    expect(await prisma().priority.count()).toBe(0);
  });

  it('sets ten, says the book recommends 5 to 10 while fewer are open, and refuses an eleventh', async () => {
    expect(
      await submitForm(cco, {
        title: 'Answer calls fast',
        stageIds: [stages['Get help']!],
        stopDoing: 'the new-markets launch until calls are answered',
        startedOn,
      }),
    ).toEqual({});
    const confirmation = await waitFor(() => standIn.messages(standIn.dmChannel(cco))[0], {
      what: 'the confirmation DM',
    });
    expect(unescapeMrkdwn(confirmation.text)).toMatch(
      /^Priority #\d+ “Answer calls fast” is set\. Its baseline is 8 complaints a week .* the book recommends 5 to 10/,
    );
    await submitForm(cco, {
      title: 'Keep customers at renewal',
      stageIds: [stages['Renew or leave']!],
      stopDoing: 'discount-led win-back mailings',
      startedOn,
    });
    for (let index = 3; index <= 10; index++)
      expect(
        await submitForm(cco, {
          title: `Priority ${index}`,
          stageIds: [stages.Use!],
          stopDoing: `project ${index} of the old plan`,
        }),
      ).toEqual({});
    const rows = await prisma().priority.findMany({ orderBy: { number: 'asc' } });
    expect(rows).toHaveLength(10);
    [stuck, quiet] = [rows[0]!.number, rows[1]!.number];

    const full = await answerText(cco, '/priorities', 'add');
    expect(full).toMatch(
      new RegExp(
        `^There are already 10 open priorities: finish one first\\. Open now: #${stuck} Answer calls fast; #${quiet} Keep customers at renewal; `,
      ),
    );
    const eleventh = await submitForm(cco, {
      title: 'One more',
      stageIds: [stages.Use!],
      stopDoing: 'something else entirely',
    });
    expect(eleventh.errors?.title).toMatch(
      /^There are already 10 open priorities: finish one first\..*Nothing was saved\.$/,
    );
    expect(await prisma().priority.count()).toBe(10);
  });

  it('lists each with its measure against the baseline', async () => {
    const list = await (await slash(staff, 'C0WORK', '/priorities', '')).answer();
    const words = unescapeMrkdwn(JSON.stringify(list.blocks));
    expect(list.text).toBe('Priorities: 10 open');
    expect(words).toContain(`*#${stuck} Answer calls fast* · owner <@${owner}>`);
    expect(words).toContain('last week 12 against a baseline of 8 a week · 0 of 4 weeks below');
    expect(words).toContain('complaints a week: 9, 7, 12, 9, 7, 12');
    expect(words).toContain('last week 0 against a baseline of 8 a week · 4 weeks below: ready to be marked done');
  });

  it('gives the digest a Priorities section with last week against the baseline', async () => {
    const preview = await (await slash(staff, 'C0WORK', '/digest', 'preview')).answer();
    const words = unescapeMrkdwn(JSON.stringify(preview.blocks));
    expect(words).toContain('*Priorities* · complaints a week against the baseline before each started');
    expect(words).toContain(
      `*#${stuck} Answer calls fast* · owner <@${owner}>\\nlast week 12 against a baseline of 8 a week`,
    );
  });

  it('refuses done with the figures while complaints stay above the baseline', async () => {
    expect(await answerText(cco, '/priorities', `done ${stuck}`)).toBe(
      `Priority #${stuck} “Answer calls fast” is not done yet: complaints were 12, 9, 7, 12 a week against a baseline of 8; done needs 4 weeks below 8. Nothing was changed.`,
    );
    expect((await prisma().priority.findFirstOrThrow({ where: { number: stuck } })).doneAt).toBeNull();
  });

  it('accepts done after four quiet weeks, announces the fall and thanks each reporter once', async () => {
    expect(await answerText(cco, '/priorities', `done ${quiet}`)).toBe(
      `Priority #${quiet} is done: Complaints about Keep customers at renewal fell from 32 to 6 in four weeks since ${new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${startedOn}T12:00:00Z`))}. I am announcing it in 1 channel, and thanking 2 people who reported it.`,
    );
    await outboxSettled();
    const announcements = notices(standIn.messages(hopeChannel));
    expect(announcements).toHaveLength(1);
    const announced = unescapeMrkdwn(JSON.stringify(announcements[0]!.blocks));
    expect(announced).toContain('fell from 32 to 6 in four weeks');
    expect(announced).toContain(`Owned by <@${owner}>`);
    for (const reporter of reporters) {
      expect(dms(reporter)).toHaveLength(1);
      expect(unescapeMrkdwn(JSON.stringify(dms(reporter)[0]!.blocks))).toContain(
        '“Keep customers at renewal” one of the company',
      );
    }
    // Done once: a second press owes nothing more.
    expect(await answerText(cco, '/priorities', `done ${quiet}`)).toMatch(/was already marked done on/);
    await bot.services.sendNotices();
    expect(notices(standIn.messages(hopeChannel))).toHaveLength(1);
    for (const reporter of reporters) expect(dms(reporter)).toHaveLength(1);

    // With one finished there is room again: the form opens.
    const before = standIn.callsTo('views.open').length;
    await slash(cco, 'C0WORK', '/priorities', 'add');
    await waitFor(() => standIn.callsTo('views.open').length > before, { what: 'the form to open again' });
  });

  it('opens the form from a warning’s Make it a priority, with the warning’s stage chosen', async () => {
    const warning = await prisma().warning.create({
      data: {
        key: `spike:${stages.Use}:all:${thisWeek}`,
        kind: 'complaintSpike',
        stageId: stages.Use!,
        periodStart: new Date(`${thisWeek}T00:00:00Z`),
        raisedAt: new Date(),
        content: {},
      },
    });
    const before = standIn.callsTo('views.open').length;
    const payload = blockActionsPayload(
      { userId: cco, channelId: 'C0WARN', responseUrl: standIn.responseUrl(`resp-${++responses}`) },
      { actionId: 'warning_priority', blockId: 'warning', value: warning.id },
    );
    expect((await sendInteraction(bot.url, signingSecret, payload)).status).toBe(200);
    const opened = await waitFor(() => standIn.callsTo('views.open')[before], { what: 'the form from the warning' });
    const blocks = (opened.args.view as { blocks: Array<{ block_id: string; element: Record<string, unknown> }> })
      .blocks;
    expect(blocks.find((block) => block.block_id === 'title')!.element.initial_value).toBe('Fewer complaints at Use');
    expect(blocks.find((block) => block.block_id === 'stages')!.element.initial_options).toEqual([
      { text: { type: 'plain_text', text: 'Use' }, value: stages.Use },
    ]);
  });

  it('posts the customer room agenda in the book’s order', async () => {
    await slash(cco, roomChannel, '/customer-room', '');
    const posted = await waitFor(() => standIn.messages(roomChannel)[0], { what: 'the agenda in the channel' });
    const words = unescapeMrkdwn(JSON.stringify(posted.blocks));
    const order = [
      '1. Did we earn the right to customer growth?',
      '2. Where on the journey we helped or hindered it',
      '3. Why customers left',
      '4. Where each priority stands',
      `#${stuck} Answer calls fast`,
    ].map((heading) => words.indexOf(heading));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(await answerText(staff, '/customer-room', '', roomChannel)).toBe(
      'Only the CCO or a leader can post the customer room agenda. You are staff here; ask your CCO if that should change.',
    );
  });

  it('posts the agenda about a month or quarter when one is named, and refuses words it cannot read', async () => {
    const monthChannel = 'C0ROOMMONTH';
    await slash(cco, monthChannel, '/customer-room', '2026-10');
    const posted = await waitFor(() => standIn.messages(monthChannel)[0], { what: 'the monthly agenda' });
    const words = unescapeMrkdwn(JSON.stringify(posted.blocks));
    expect(words).toContain('About October 2026, in the order the room takes it.');
    expect(words).toContain('last month net');
    expect(words).toContain('4. Where each priority stands');

    await slash(cco, monthChannel, '/customer-room', 'quarter');
    const quarterly = await waitFor(() => standIn.messages(monthChannel)[1], { what: 'the quarterly agenda' });
    expect(unescapeMrkdwn(JSON.stringify(quarterly.blocks))).toMatch(/About Q\d 20\d\d \(/);

    const typoChannel = 'C0ROOMTYPO';
    expect(await answerText(cco, '/customer-room', 'someday', typoChannel)).toBe(
      '“someday” is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in `/customer-room 2026-Q3`. Nothing was posted.',
    );
    const future = await answerText(cco, '/customer-room', '2099-Q1', typoChannel);
    expect(future).toContain('Q1 2099 (Jan');
    expect(future).toContain('has not started yet, so there is nothing to meet about. Nothing was posted.');
    expect(standIn.messages(typoChannel)).toHaveLength(0);
  });
});
