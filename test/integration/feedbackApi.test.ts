// POST /api/feedback over real HTTP into a running bot on a fresh PostgreSQL: what customers
// said elsewhere is stored once, refused row by row, sorted in the background next to what
// staff logged in chat, counted in convergence and quoted in the digest without names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { parseCcoCommand } from '../../src/typedCommands/cco.js';
import { loadConfig } from '../../src/config.js';
import type { Person } from '../../src/domain/people.js';
import { addDays } from '../../src/domain/weeks.js';
import { externalFeedbackStore } from '../../src/store/feedbackStore.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const token = 'feedback-secret';
const cco: Person = { platform: 'slack', userId: 'UCCO1' };
const staff: Person = { platform: 'slack', userId: 'USTAFF1' };
let db: TestDatabase;
let bot: RunningBot;
let botWithoutToken: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  const settings = {
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    ORG_TIMEZONE: 'UTC',
    BOOTSTRAP_CCO_SLACK_IDS: cco.userId,
  };
  bot = await startBot(loadConfig({ ...settings, FEEDBACK_API_TOKEN: token, EVENTS_API_TOKEN: 'events-token' }), {
    log: () => {},
  });
  botWithoutToken = await startBot(loadConfig(settings), { log: () => {} });
});

afterAll(async () => {
  await botWithoutToken?.stop();
  await bot?.stop();
  await db?.drop();
});

function postFeedback(body: unknown, options: { authorization?: string | null; url?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const authorization = options.authorization === undefined ? `Bearer ${token}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  return fetch(`${options.url ?? bot.url}/api/feedback`, { method: 'POST', headers, body: JSON.stringify(body) });
}

async function jsonOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as {
    stored: number;
    duplicates: number;
    rejected: Array<{ row: number; reason: string }>;
    notes: Array<{ row: number; note: string }>;
    message: string;
    error?: string;
  };
}

const feedback = (externalId: string) => db.database.prisma.feedback.findUnique({ where: { externalId } });

/** Sorting happens after the answer: wait until each row is classified and, when it has a stage and category, filed under an issue. */
async function sorted(externalIds: string[]) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const rows = await db.database.prisma.feedback.findMany({ where: { externalId: { in: externalIds } } });
    if (
      rows.length === externalIds.length &&
      rows.every((row) => row.classifiedBy !== null && (row.issueId !== null || !row.stageId || !row.categoryId))
    )
      return rows;
    if (Date.now() > deadline)
      throw new Error(`not sorted in time: ${JSON.stringify(rows.map((row) => [row.externalId, row.classifiedBy]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const stageId = async (name: string) =>
  (await db.database.prisma.journeyStage.findFirstOrThrow({ where: { name } })).id;

describe('POST /api/feedback', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'Bearer wrong'],
    ['the customer events token', 'Bearer events-token'],
  ])('refuses %s with 401 and stores nothing', async (_, authorization) => {
    const response = await postFeedback([{ external_id: 'x-1', text: 'Never arrived', source: 'web' }], {
      authorization,
    });
    expect(response.status).toBe(401);
    expect((await jsonOf(response)).error).toMatch(/Authorization: Bearer/);
    expect(await feedback('x-1')).toBeNull();
  });

  it('is switched off, and says how to turn it on, without FEEDBACK_API_TOKEN', async () => {
    const response = await postFeedback([{ external_id: 'x-2', text: 'Never arrived', source: 'web' }], {
      url: botWithoutToken.url,
    });
    expect(response.status).toBe(503);
    expect((await jsonOf(response)).error).toMatch(/FEEDBACK_API_TOKEN/);
  });

  it('keeps the good rows of a batch and refuses each bad one with its row number and reason', async () => {
    const response = await postFeedback([
      {
        external_id: 'mix-1',
        text: 'The support desk never called me back about my ticket',
        source: 'support desk',
        said_at: '2026-11-18T09:30:00+01:00',
      },
      { external_id: 'mix-2', text: 'Warranty claim took six weeks', source: 'carrier pigeon' },
      { text: 'No id on this one', source: 'web' },
      { external_id: 'mix-4', text: 'A date that does not exist', source: 'web', said_at: '2026-02-30' },
      {
        external_id: 'mix-5',
        text: 'From the future',
        source: 'web',
        said_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
      { external_id: 'mix-6', text: 'A time without a zone', source: 'web', said_at: '2026-11-18T10:00:00' },
      { external_id: 'mix-7', text: 12345, source: 'web' },
      {
        external_id: 'mix-8',
        text: 'Returned the kettle, the lid was cracked',
        source: 'returns',
        stage: 'Nowhere',
        category: 'Product quality',
        said_at: '2026-11-19',
      },
      { external_id: 'mix-9', text: 'Old letter', source: 'web', said_at: '1899-12-31' },
    ]);
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body.stored).toBe(2);
    expect(body.duplicates).toBe(0);
    expect(body.rejected.map((row) => row.row)).toEqual([2, 3, 4, 5, 6, 7, 9]);
    const reasons = Object.fromEntries(body.rejected.map((row) => [row.row, row.reason]));
    expect(reasons[2]).toMatch(
      /^source must be one of: call centre, web, social, store, survey, sales, support desk, warranty, returns, other/,
    );
    expect(reasons[3]).toBe('external_id is required');
    expect(reasons[4]).toMatch(/2026-02-30 is not a date in the calendar/);
    expect(reasons[5]).toMatch(/more than a day in the future/);
    expect(reasons[6]).toMatch(/needs a time zone/);
    expect(reasons[7]).toBe('text must be text');
    expect(reasons[9]).toMatch(/before 1900/);
    // An unknown hint is a note on a stored row, not a refusal.
    expect(body.notes).toEqual([{ row: 8, note: expect.stringMatching(/"Nowhere" is not one of the journey stages/) }]);
    expect(body.message).toMatch(/Stored 2 new items.*refused 7 rows.*valid rows were kept/);

    const stored = await feedback('mix-1');
    expect(stored).toMatchObject({
      source: 'support_desk',
      platform: null,
      reporterId: 'api',
      loggedAt: new Date('2026-11-18T08:30:00Z'),
    });
    expect(await feedback('mix-2')).toBeNull();
    // A date alone is kept on its calendar day.
    expect((await feedback('mix-8'))?.loggedAt.toISOString()).toBe('2026-11-19T12:00:00.000Z');
  });

  it('stores a re-sent batch once and says the items were already stored', async () => {
    const batch = [
      { external_id: 'again-1', text: 'Checkout page froze on the last step', source: 'web' },
      { external_id: 'again-2', text: 'Love the new app, so quick', source: 'social' },
    ];
    const first = await jsonOf(await postFeedback(batch));
    expect(first).toMatchObject({ stored: 2, duplicates: 0 });
    const before = await db.database.prisma.feedback.count();
    const second = await postFeedback(batch);
    expect(second.status).toBe(200);
    const body = await jsonOf(second);
    expect(body).toMatchObject({ stored: 0, duplicates: 2, rejected: [] });
    expect(body.message).toMatch(/2 items were already stored/);
    expect(await db.database.prisma.feedback.count()).toBe(before);
  });

  it('answers 422 when no row is valid', async () => {
    const response = await postFeedback([{ external_id: 'bad-1', source: 'web' }, 'not an object']);
    expect(response.status).toBe(422);
    const body = await jsonOf(response);
    expect(body.stored).toBe(0);
    expect(body.rejected).toEqual([
      { row: 1, reason: 'text is required' },
      { row: 2, reason: 'is not an object with named fields' },
    ]);
  });

  it('files API feedback into the same issue as staff feedback, counts its sources, quotes it by segment and thanks only the person', async () => {
    // A customer known from customer events, so the verbatim can name the segment.
    const events = await fetch(`${bot.url}/api/customer-events`, {
      method: 'POST',
      headers: { authorization: 'Bearer events-token', 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          external_id: 'ev-1',
          customer_id: 'acct-7',
          customer_name: 'Wayne Enterprises',
          segment: 'Enterprise',
          kind: 'won',
          value: 100,
          occurred_at: '2026-10-01T10:00:00Z',
        },
      ]),
    });
    expect(events.status).toBe(200);

    const logged = await bot.services.logFeedback(staff, {
      text: 'Customer was charged twice on the invoice this month',
      source: 'call_centre',
    });
    if (!logged.ok) throw new Error(logged.message);
    const staffView = await bot.services.sortFeedback(logged.view.feedback.id);
    expect(staffView?.issue).not.toBeNull();

    const body = await jsonOf(
      await postFeedback([
        {
          external_id: 'conv-1',
          text: 'I was charged twice on my invoice this month, absolutely unacceptable',
          source: 'survey',
          customer_id: 'acct-7',
        },
        { external_id: 'conv-2', text: 'Charged twice on the invoice this month, refund please', source: 'social' },
      ]),
    );
    expect(body.stored).toBe(2);
    const rows = await sorted(['conv-1', 'conv-2']);
    expect(rows.map((row) => row.issueId)).toEqual([staffView!.issue!.id, staffView!.issue!.id]);
    expect(rows.find((row) => row.externalId === 'conv-1')?.segment).toBe('Enterprise');

    const digest = await bot.services.digestFor(addDays(bot.services.lastWeek(), 7));
    const listening = digest.sections.find((section) => section.kind === 'listening');
    const line =
      listening?.kind === 'listening'
        ? listening.report.stages
            .flatMap((stage) => stage.issues)
            .find((issue) => issue.number === staffView!.issue!.number)
        : undefined;
    expect(line?.converging).toBe('3 sources: call centre, social, survey');
    const verbatims = digest.sections.find((section) => section.kind === 'verbatims');
    const quoted =
      verbatims?.kind === 'verbatims'
        ? verbatims.verbatims.find((verbatim) => verbatim.text.startsWith('I was charged twice'))
        : undefined;
    expect(quoted?.attribution).toBe('An Enterprise customer, via survey');
    expect(JSON.stringify(digest)).not.toContain('Wayne');

    const resolved = await bot.services.resolveIssue(
      cco,
      staffView!.issue!.number,
      'Invoices are now checked for duplicates before sending',
    );
    expect(resolved.ok).toBe(true);
    const thanks = await db.database.prisma.notice.findMany({ where: { kind: 'hopeThanks' } });
    expect(thanks.map((notice) => [notice.platform, notice.target])).toEqual([['slack', staff.userId]]);
  });

  it("files a mapped survey's answers under the survey's stage, whatever the classifier would say", async () => {
    const command = parseCcoCommand('surveys "Onboarding NPS" Start');
    if (!command.ok || command.command.kind !== 'surveys') throw new Error('not parsed as a survey mapping');
    const answer = await bot.services.language.answer(cco, command.command);
    expect(answer).toMatchObject({
      ok: true,
      message: expect.stringMatching(/"Onboarding NPS" are now filed under the stage "Start"/),
    });
    // Staff cannot change the language.
    expect(
      await bot.services.language.answer(staff, {
        kind: 'surveys',
        action: 'map',
        name: 'Renewal survey',
        stage: 'Use',
      }),
    ).toMatchObject({ ok: false });

    const body = await jsonOf(
      await postFeedback([
        {
          external_id: 'nps-1',
          text: 'The invoice was confusing and the payment page kept failing',
          source: 'survey',
          survey: 'onboarding nps',
        },
        {
          external_id: 'nps-2',
          text: 'The invoice was confusing and the payment page kept failing',
          source: 'survey',
          survey: 'Exit survey',
        },
      ]),
    );
    expect(body.stored).toBe(2);
    expect(body.notes).toEqual([{ row: 2, note: expect.stringMatching(/survey "Exit survey" is not mapped/) }]);
    const [mapped, unmapped] = await sorted(['nps-1', 'nps-2']).then((rows) =>
      ['nps-1', 'nps-2'].map((id) => rows.find((row) => row.externalId === id)!),
    );
    expect(mapped!.stageId).toBe(await stageId('Start'));
    expect(mapped!.categoryId).not.toBeNull();
    expect(mapped!.issueId).not.toBeNull();
    // Without the mapping the keywords put the same words elsewhere: the survey's stage is what moved it.
    expect(unmapped!.stageId).not.toBe(await stageId('Start'));
    expect(await bot.services.language.listSurveys()).toMatch(/Onboarding NPS → Start/);
  });

  it('lets two processes work through the same backlog without both sorting any item', async () => {
    const rows = Array.from({ length: 30 }, (_, index) => ({
      external_id: `two-${index}`,
      text: `Parcel ${index} arrived late`,
      source: 'returns',
    }));
    expect((await bot.services.recordExternalFeedback(rows, { channel: 'api', sortInBackground: false })).stored).toBe(
      30,
    );
    // Two bot processes (or the bot and a CSV import) claiming at the same moment, on two pooled connections.
    const store = externalFeedbackStore(db.database.prisma);
    const [one, two] = await Promise.all([
      store.claimUnsortedExternal(20, 60_000),
      store.claimUnsortedExternal(20, 60_000),
    ]);
    expect(one!.length + two!.length).toBe(30);
    expect(new Set([...one!, ...two!]).size).toBe(30);
    // Claimed items are not handed out again while the claim holds.
    expect(await externalFeedbackStore(db.database.prisma).claimUnsortedExternal(20, 60_000)).toEqual([]);
  });
});
