// The company's one language of journey stages and categories, as the CCO changes it, in
// real PostgreSQL through createServices. Feedback points at ids, so history survives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackInput, FeedbackView } from '../../src/domain/feedback.js';
import type { Person } from '../../src/domain/people.js';
import { defaultLanguage, languageFile } from '../../src/domain/language.js';
import type { Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { logAndSort as logAndSortWith, servicesOnFreshDatabase } from '../support/services.js';
import type { TestDatabase } from '../support/testDatabase.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const staff: Person = { platform: 'slack', userId: 'USTAFF1' };

let test: TestDatabase;
let db: Db;
let services: Services;

beforeAll(async () => {
  ({ test, db, services } = await servicesOnFreshDatabase({ BOOTSTRAP_CCO_SLACK_IDS: cco.userId }));
});
afterAll(() => test?.drop());

const logAndSort = (by: Person, input: FeedbackInput) => logAndSortWith(services, by, input);

async function stages() {
  return (await services.language.vocabulary()).stages;
}

/** What the reporter sees about their feedback now: a correction of its source only shows the current view. */
async function viewNow(feedback: FeedbackView): Promise<FeedbackView> {
  const answer = await services.correctFeedback(staff, feedback.feedback.id, { source: feedback.feedback.source });
  if (!answer.ok) throw new Error(answer.message);
  return answer.view;
}

describe('the company language', () => {
  it('starts from the default stages and categories on a new install', async () => {
    expect((await stages()).map((stage) => stage.name)).toEqual(defaultLanguage.stages.map((stage) => stage.name));
    expect((await services.language.vocabulary()).categories.map((category) => category.name)).toEqual(
      defaultLanguage.categories.map((category) => category.name),
    );
  });

  it('does not let staff change it', async () => {
    const before = await services.language.vocabulary();
    const refusal =
      'Only the CCO can change the company-wide journey stages and categories. You are staff here; ask your CCO if that should change.';

    expect(await services.language.replace(staff, 'stage', 'One, Two')).toEqual({ ok: false, message: refusal });
    expect(await services.language.rename(staff, 'stage', 'Use', 'Usage')).toEqual({ ok: false, message: refusal });
    expect(await services.language.setKeywords(staff, 'category', 'Billing', 'bill')).toEqual({
      ok: false,
      message: refusal,
    });
    expect(await services.language.vocabulary()).toEqual(before);
  });

  describe('when the CCO replaces the stages with "Discover, Buy, Use"', () => {
    let before: Awaited<ReturnType<typeof stages>>;
    let onHold: FeedbackView;

    beforeAll(async () => {
      before = await stages();
      onHold = await logAndSort(staff, {
        text: 'The agent put me on hold for forty minutes and was rude',
        source: 'call_centre',
      });
      expect(onHold.stageName).toBe('Get help');
      const answer = await services.language.replace(cco, 'stage', 'Discover, Buy, Use');
      expect(answer).toEqual({
        ok: true,
        message:
          'The journey stages are now: Discover, Buy, Use. Names that left the list keep their history and are no longer offered.',
      });
    });

    it('offers exactly those stages, keeping the ids (and keywords) of the names it kept', async () => {
      const after = await stages();
      const byName = (list: typeof after, name: string) => list.find((stage) => stage.name === name)!;

      expect(after.map((stage) => stage.name)).toEqual(['Discover', 'Buy', 'Use']);
      expect(byName(after, 'Discover').id).toBe(byName(before, 'Discover').id);
      expect(byName(after, 'Use')).toEqual(byName(before, 'Use'));
      expect(before.map((stage) => stage.id)).not.toContain(byName(after, 'Buy').id);
    });

    it('retires the others rather than deleting them', async () => {
      const rows = await db.journeyStage.findMany({ orderBy: { position: 'asc' } });
      const retired = rows
        .filter((row) => row.retiredAt !== null)
        .map((row) => row.name)
        .sort();
      expect(retired).toEqual(['Decide', 'Get help', 'Renew or leave', 'Start']);
    });

    it('keeps feedback filed under a retired stage there, shown under its name', async () => {
      const row = await db.feedback.findUniqueOrThrow({ where: { id: onHold.feedback.id } });
      expect(row.stageId).toBe(onHold.feedback.stageId);
      expect((await services.issueByNumber(onHold.issue!.number))!.stageName).toBe('Get help');

      expect((await viewNow(onHold)).stageName).toBe('Get help');
    });

    it('brings a stage back with its history and keywords when the CCO lists it again', async () => {
      const getHelp = before.find((stage) => stage.name === 'Get help')!;

      try {
        expect(await services.language.replace(cco, 'stage', 'Discover, Buy, Use, Get help')).toMatchObject({
          ok: true,
        });

        expect((await stages()).find((stage) => stage.name === 'Get help')).toEqual(getHelp);
      } finally {
        expect(await services.language.replace(cco, 'stage', 'Discover, Buy, Use')).toMatchObject({ ok: true });
      }
    });
  });

  describe('renaming', () => {
    it('keeps the history: feedback keeps its stage and shows the new name', async () => {
      const parcel = await logAndSort(staff, {
        text: 'The parcel delivery was late and the courier was lost',
        source: 'web',
      });
      expect(parcel.stageName).toBe('Use');
      const useId = parcel.feedback.stageId;

      const answer = await services.language.rename(cco, 'stage', 'use', 'Using the product');

      expect(answer).toEqual({
        ok: true,
        message: 'Renamed "use" to "Using the product". Everything filed under it keeps its history.',
      });
      expect((await stages()).find((stage) => stage.id === useId)?.name).toBe('Using the product');
      expect((await db.feedback.findUniqueOrThrow({ where: { id: parcel.feedback.id } })).stageId).toBe(useId);
      expect((await viewNow(parcel)).stageName).toBe('Using the product');
      expect((await services.issueByNumber(parcel.issue!.number))!.stageName).toBe('Using the product');
    });

    it('refuses a name another stage already has', async () => {
      const answer = await services.language.rename(cco, 'stage', 'Buy', 'discover');
      expect(answer).toEqual({ ok: false, message: 'There is already a stage called "discover".' });
      expect((await stages()).map((stage) => stage.name)).toEqual(['Discover', 'Buy', 'Using the product']);
    });

    it('lists the stages when asked to rename one that does not exist', async () => {
      const answer = await services.language.rename(cco, 'stage', 'Nowhere', 'Somewhere');
      expect(answer).toEqual({
        ok: false,
        message: 'There is no stage called "Nowhere". The journey stages are: Discover, Buy, Using the product.',
      });
    });

    it("does not rename a retired stage, nor take a retired stage's name, so its history stays readable", async () => {
      const renameRetired = await services.language.rename(cco, 'stage', 'Get help', 'Support');
      expect(renameRetired).toMatchObject({
        ok: false,
        message: expect.stringContaining('There is no stage called "Get help"'),
      });
      const takeRetiredName = await services.language.rename(cco, 'stage', 'Buy', 'Get help');
      expect(takeRetiredName).toEqual({
        ok: false,
        message:
          '"Get help" is a stage that was taken out of the list; it keeps its history. Add it back to the list instead, or choose another name.',
      });
      expect((await stages()).map((stage) => stage.name)).toEqual(['Discover', 'Buy', 'Using the product']);
    });
  });

  describe('a language file', () => {
    it('replaces both lists, and its keywords sort new feedback', async () => {
      const buyId = (await stages()).find((stage) => stage.name === 'Buy')!.id;

      await services.loadLanguage({
        stages: [
          { name: 'Browse', keywords: ['catalogue', 'browsing'] },
          { name: 'Buy', keywords: ['checkout', 'basket'] },
          { name: 'Own', keywords: ['warranty', 'repair'] },
        ],
        categories: [
          { name: 'Payments', keywords: ['card', 'declined'] },
          { name: 'Returns', keywords: ['return', 'returned'] },
        ],
      });

      const vocabulary = await services.language.vocabulary();
      expect(vocabulary.stages.map((stage) => [stage.name, stage.keywords])).toEqual([
        ['Browse', ['catalogue', 'browsing']],
        ['Buy', ['checkout', 'basket']],
        ['Own', ['warranty', 'repair']],
      ]);
      expect(vocabulary.stages[1]!.id).toBe(buyId);
      expect(vocabulary.categories.map((category) => category.name)).toEqual(['Payments', 'Returns']);

      const sorted = await logAndSort(staff, { text: 'My card was declined at checkout twice', source: 'web' });
      expect([sorted.stageName, sorted.categoryName]).toEqual(['Buy', 'Payments']);
    });

    it('is not undone by a restart without a file', async () => {
      await services.loadLanguage();
      expect((await stages()).map((stage) => stage.name)).toEqual(['Browse', 'Buy', 'Own']);
    });

    it('maps each survey it lists to the stage where customers receive it, and only to a stage in the file', async () => {
      const file = {
        stages: [{ name: 'Browse' }, { name: 'Buy' }, { name: 'Own' }],
        categories: [{ name: 'Payments' }, { name: 'Returns' }],
        surveys: [
          { name: 'Post-purchase NPS', stage: 'buy' },
          { name: 'Warranty survey', stage: 'Own' },
        ],
      };
      await services.loadLanguage(languageFile.parse(file));
      expect(await services.language.listSurveys()).toBe(
        'Surveys and the stage their answers are filed under: Post-purchase NPS → Buy; Warranty survey → Own.',
      );
      // The file is the whole list: a survey it no longer names is no longer mapped.
      await services.loadLanguage(
        languageFile.parse({ ...file, surveys: [{ name: 'Warranty survey', stage: 'Browse' }] }),
      );
      expect(await services.language.listSurveys()).toBe(
        'Surveys and the stage their answers are filed under: Warranty survey → Browse.',
      );

      const typo = languageFile.safeParse({ ...file, surveys: [{ name: 'Exit survey', stage: 'Leave' }] });
      expect(typo.success).toBe(false);
      expect(typo.error?.issues[0]).toMatchObject({
        path: ['surveys', 0, 'stage'],
        message: '"Leave" is not one of the stages in this file',
      });
    });
  });
});
