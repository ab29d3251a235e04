import type { TermKind, LanguageStore } from '../domain/language.js';
import type { Db } from './database.js';

export function languageStore(db: Db): LanguageStore {
  // Both tables have the same shape; one set of code serves both.
  const table = (kind: TermKind) =>
    (kind === 'stage' ? db.journeyStage : db.feedbackCategory) as unknown as typeof db.journeyStage;
  const term = (row: { id: string; name: string; keywords: string[] }) => ({
    id: row.id,
    name: row.name,
    keywords: row.keywords,
  });

  async function byName(kind: TermKind, name: string) {
    return table(kind).findFirst({ where: { name: { equals: name, mode: 'insensitive' } } });
  }

  return {
    async vocabulary() {
      const active = { where: { retiredAt: null }, orderBy: { position: 'asc' as const } };
      const [stages, categories] = await Promise.all([
        db.journeyStage.findMany(active),
        db.feedbackCategory.findMany(active),
      ]);
      return { stages: stages.map(term), categories: categories.map(term) };
    },

    async termById(kind, id) {
      const row = await table(kind).findUnique({ where: { id } });
      return row ? { ...term(row), retired: row.retiredAt !== null } : null;
    },

    async replaceTerms(kind, terms) {
      await db.$transaction(async (tx) => {
        const model = (kind === 'stage' ? tx.journeyStage : tx.feedbackCategory) as unknown as typeof tx.journeyStage;
        const rows = await model.findMany();
        const keep = new Set<string>();
        for (const [position, wanted] of terms.entries()) {
          const existing = rows.find((row) => row.name.toLowerCase() === wanted.name.toLowerCase());
          const keywords = wanted.keywords ?? existing?.keywords ?? [];
          if (existing) {
            keep.add(existing.id);
            await model.update({
              where: { id: existing.id },
              data: { name: wanted.name, position, keywords, retiredAt: null },
            });
          } else {
            await model.create({ data: { name: wanted.name, position, keywords } });
          }
        }
        await model.updateMany({
          where: { id: { notIn: [...keep] }, name: { notIn: terms.map((wanted) => wanted.name) }, retiredAt: null },
          data: { retiredAt: new Date() },
        });
      });
    },

    async renameTerm(kind, from, to) {
      const existing = await byName(kind, from);
      if (!existing || existing.retiredAt) return 'unknown';
      const clash = await byName(kind, to);
      if (clash && clash.id !== existing.id) return clash.retiredAt ? 'retired' : 'taken';
      await table(kind).update({ where: { id: existing.id }, data: { name: to } });
      return 'renamed';
    },

    async setKeywords(kind, name, keywords) {
      const existing = await byName(kind, name);
      if (!existing) return 'unknown';
      await table(kind).update({ where: { id: existing.id }, data: { keywords } });
      return 'updated';
    },

    async isEmpty() {
      return (await db.journeyStage.count()) === 0 && (await db.feedbackCategory.count()) === 0;
    },

    async surveys() {
      const rows = await db.survey.findMany({
        orderBy: { name: 'asc' },
        select: { name: true, stage: { select: { name: true, retiredAt: true } } },
      });
      return rows.map((row) => ({
        name: row.name,
        stageName: row.stage.name,
        stageRetired: row.stage.retiredAt !== null,
      }));
    },

    async mapSurvey(name, stageName) {
      const stage = await db.journeyStage.findFirst({
        where: { name: { equals: stageName, mode: 'insensitive' }, retiredAt: null },
      });
      if (!stage) return 'unknownStage';
      const existing = await db.survey.findFirst({ where: { name: { equals: name, mode: 'insensitive' } } });
      if (existing) await db.survey.update({ where: { id: existing.id }, data: { name, stageId: stage.id } });
      else await db.survey.create({ data: { name, stageId: stage.id } });
      return 'mapped';
    },

    async removeSurvey(name) {
      const removed = await db.survey.deleteMany({ where: { name: { equals: name, mode: 'insensitive' } } });
      return removed.count ? 'removed' : 'unknown';
    },

    async replaceSurveys(surveys) {
      await db.$transaction(async (tx) => {
        const stages = await tx.journeyStage.findMany({ where: { retiredAt: null }, select: { id: true, name: true } });
        await tx.survey.deleteMany();
        await tx.survey.createMany({
          data: surveys.map((survey) => ({
            name: survey.name,
            stageId: stages.find((stage) => stage.name.toLowerCase() === survey.stage.toLowerCase())!.id,
          })),
          skipDuplicates: true,
        });
      });
    },
  };
}
