// With OPENAI_API_KEY set, feedback is sorted by the model, through the same services the
// adapters call, against a local server speaking the Chat Completions wire format. When the
// model fails in any way, the feedback is still stored and sorted by keywords, and waits for
// the model to look again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Person } from '../../src/domain/people.js';
import { createServices, type Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { startOpenAiStandIn, type OpenAiStandIn } from '../support/openaiStandIn.js';
import { logAndSort, servicesOnFreshDatabase } from '../support/services.js';
import type { TestDatabase } from '../support/testDatabase.js';

const reporter: Person = { platform: 'slack', userId: 'USTAFF' };
const doubleCharge = 'I was charged twice on my invoice and still have no refund';

let model: OpenAiStandIn;
let test: TestDatabase;
let db: Db;
let services: Services;
/** The same database, with a model timeout short enough that a hanging model is given up on quickly. */
let impatient: Services;

const env = (timeoutMs: number) => ({
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: model.baseURL,
  OPENAI_TIMEOUT_MS: String(timeoutMs),
});

beforeAll(async () => {
  model = await startOpenAiStandIn();
  // A busy machine can take longer than a short timeout to get an answer from the local model,
  // so every case where the model does answer gets a generous one.
  ({ test, db, services } = await servicesOnFreshDatabase(env(20_000)));
  impatient = createServices(db, loadConfig(env(300)), { log: () => {} });
});
afterAll(async () => {
  await model?.close();
  await test?.drop();
});

const stored = (number: number) =>
  db.feedback.findUniqueOrThrow({ where: { number }, include: { stage: true, category: true } });

describe('sorting feedback with a model', () => {
  it('files it where the model says, in the company language, with the model’s summary', async () => {
    model.reply({
      stage: 'Get help',
      category: 'Billing',
      sentiment: 'negative',
      summary: 'Double charge not refunded',
    });
    const view = await logAndSort(services, reporter, { text: doubleCharge, source: 'call_centre' });
    const row = await stored(view.feedback.number);
    expect(row).toMatchObject({
      classifiedBy: 'model',
      needsReclassification: false,
      summary: 'Double charge not refunded',
      sentiment: 'negative',
    });
    expect([row.stage?.name, row.category?.name]).toEqual(['Get help', 'Billing']);
    expect(view.issue?.title).toBe('Double charge not refunded');
  });

  for (const [failure, makeItFail, sorter] of [
    ['refuses', () => model.refuse("I can't help with that."), () => services],
    ['answers with something that is not the schema', () => model.malformed('{"stage": "Nowhere"'), () => services],
    ['times out', () => model.hang(), () => impatient],
    ['is rate limited (429)', () => model.rateLimit(30), () => services],
  ] as const) {
    it(`stores it and sorts it by keywords when the model ${failure}, marked for another look`, async () => {
      makeItFail();
      // Another colleague each time: the same person repeating the same words is asked whether they meant to.
      const view = await logAndSort(
        sorter(),
        { platform: 'slack', userId: `USTAFF-${failure.replace(/\W+/g, '-')}` },
        { text: doubleCharge, source: 'web' },
      );
      const row = await stored(view.feedback.number);
      expect(row).toMatchObject({ text: doubleCharge, classifiedBy: 'keywords', needsReclassification: true });
      expect([row.stage?.name, row.category?.name]).toEqual(['Use', 'Billing']);
    });
  }

  it('sorts the waiting feedback again once the model answers, leaving people’s own choices alone', async () => {
    const [corrected] = await db.feedback.findMany({
      where: { needsReclassification: true },
      orderBy: { number: 'asc' },
      take: 1,
    });
    const decide = (await services.language.vocabulary()).stages.find((stage) => stage.name === 'Decide')!;
    expect(
      await services.correctFeedback({ platform: 'slack', userId: corrected!.reporterId }, corrected!.id, {
        stageId: decide.id,
      }),
    ).toMatchObject({ ok: true });

    const waiting = await db.feedback.count({ where: { needsReclassification: true } });
    expect(waiting).toBe(3);
    for (let index = 0; index < waiting; index++)
      model.reply({
        stage: 'Get help',
        category: 'Billing',
        sentiment: 'negative',
        summary: 'Double charge not refunded',
      });
    expect(await services.reclassifyWaiting()).toEqual({ reclassified: 3, stillWaiting: 0 });

    const rows = await db.feedback.findMany({
      where: { source: 'web' },
      orderBy: { number: 'asc' },
      include: { stage: true },
    });
    expect(rows.map((row) => [row.classifiedBy, row.needsReclassification, row.stage?.name])).toEqual([
      ['person', false, 'Decide'],
      ['model', false, 'Get help'],
      ['model', false, 'Get help'],
      ['model', false, 'Get help'],
    ]);
  });
});

describe('a stage given when feedback came in', () => {
  it("stays when the model sorts the feedback again: a mapped survey's stage, and the stage a colleague chose", async () => {
    const stages = (await services.language.vocabulary()).stages;
    const start = stages.find((stage) => stage.name === 'Start')!;
    const decide = stages.find((stage) => stage.name === 'Decide')!;
    await db.survey.create({ data: { name: 'Onboarding NPS', stageId: start.id } });

    // The model is down when both are first sorted, so keywords pick the category and they wait for the model.
    model.rateLimit(30);
    model.rateLimit(30);
    const sent = await services.recordExternalFeedback(
      [{ external_id: 'nps-kept-1', text: doubleCharge, source: 'survey', survey: 'Onboarding NPS' }],
      { channel: 'api', sortInBackground: false },
    );
    expect(sent.stored).toBe(1);
    expect(await services.sortExternalFeedback()).toEqual({ sorted: 1, failed: 0 });
    const chosen = await logAndSort(
      services,
      { platform: 'slack', userId: 'USTAFF-chose-stage' },
      { text: doubleCharge, source: 'store', stageId: decide.id },
    );
    const survey = await db.feedback.findUniqueOrThrow({ where: { externalId: 'nps-kept-1' } });
    for (const row of [survey, await stored(chosen.feedback.number)])
      expect(row).toMatchObject({ classifiedBy: 'keywords', needsReclassification: true });

    const waiting = await db.feedback.count({ where: { needsReclassification: true } });
    for (let index = 0; index < waiting; index++)
      model.reply({
        stage: 'Get help',
        category: 'Billing',
        sentiment: 'negative',
        summary: 'Double charge not refunded',
      });
    expect(await services.reclassifyWaiting()).toEqual({ reclassified: waiting, stillWaiting: 0 });

    const [surveyAfter, chosenAfter] = [await stored(survey.number), await stored(chosen.feedback.number)];
    expect([surveyAfter.stage?.name, surveyAfter.category?.name, surveyAfter.classifiedBy]).toEqual([
      'Start',
      'Billing',
      'model',
    ]);
    expect([chosenAfter.stage?.name, chosenAfter.category?.name, chosenAfter.classifiedBy]).toEqual([
      'Decide',
      'Billing',
      'model',
    ]);
    // Filed under the issue of the stage it stays in.
    expect((await db.issue.findUniqueOrThrow({ where: { id: surveyAfter.issueId! } })).stageId).toBe(start.id);
  });
});
