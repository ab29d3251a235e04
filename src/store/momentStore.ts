import type { MetricReadingStore } from '../domain/metricReadings.js';
import type { Moment, MomentStore } from '../domain/moments.js';
import type { Db } from './database.js';

type MomentRow = {
  id: string;
  name: string;
  stageId: string;
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  standard: number;
  ownerKind: 'person' | 'channel';
  ownerPlatform: 'slack' | 'teams';
  ownerId: string;
  ownerName: string | null;
  stage: { name: string };
};

export const momentOf = (row: MomentRow): Moment => ({
  id: row.id,
  name: row.name,
  stageId: row.stageId,
  stageName: row.stage.name,
  metric: row.metric,
  unit: row.unit,
  better: row.better,
  standard: row.standard,
  owner: { kind: row.ownerKind, platform: row.ownerPlatform, id: row.ownerId, name: row.ownerName },
});

export function momentStore(db: Db): MomentStore & MetricReadingStore {
  return {
    async moments() {
      const rows = await db.moment.findMany({
        where: { retiredAt: null },
        orderBy: { position: 'asc' },
        include: { stage: { select: { name: true } } },
      });
      return rows.map(momentOf);
    },

    async replaceMoments(moments) {
      return db.$transaction(async (tx) => {
        const stages = await tx.journeyStage.findMany({ where: { retiredAt: null }, select: { id: true, name: true } });
        const stageId = (name: string) => stages.find((stage) => stage.name.toLowerCase() === name.toLowerCase())?.id;
        const unknownStages = [
          ...new Set(moments.filter((moment) => !stageId(moment.stage)).map((moment) => moment.stage)),
        ];
        if (unknownStages.length) return { ok: false as const, unknownStages };
        const rows = await tx.moment.findMany({ select: { id: true, name: true } });
        const keep: string[] = [];
        for (const [position, wanted] of moments.entries()) {
          const data = {
            name: wanted.name,
            stageId: stageId(wanted.stage)!,
            metric: wanted.metric,
            unit: wanted.unit,
            better: wanted.better,
            standard: wanted.standard,
            ownerKind: wanted.owner.kind,
            ownerPlatform: wanted.owner.platform,
            ownerId: wanted.owner.id,
            ownerName: wanted.owner.name,
            position,
            retiredAt: null,
          };
          const existing = rows.find((row) => row.name.toLowerCase() === wanted.name.toLowerCase());
          if (existing)
            keep.push((await tx.moment.update({ where: { id: existing.id }, data, select: { id: true } })).id);
          else keep.push((await tx.moment.create({ data, select: { id: true } })).id);
        }
        // A retired moment keeps its readings and warnings; it no longer takes readings or warns.
        await tx.moment.updateMany({
          where: { id: { notIn: keep }, retiredAt: null },
          data: { retiredAt: new Date(), belowSince: null },
        });
        return { ok: true as const };
      });
    },

    async momentsByName() {
      const rows = await db.moment.findMany({ select: { id: true, name: true, retiredAt: true } });
      return new Map(rows.map((row) => [row.name.toLowerCase(), { id: row.id, retired: row.retiredAt !== null }]));
    },

    async insertReadings(records) {
      if (!records.length) return 0;
      // One multi-row insert: the unique external id makes a re-sent reading a no-op.
      const inserted = await db.$executeRaw`
        INSERT INTO metric_reading (id, external_id, moment_id, value, measured_at)
        SELECT gen_random_uuid(), r.external_id, r.moment_id, r.value, r.measured_at
          FROM unnest(${records.map((r) => r.externalId)}::text[], ${records.map((r) => r.momentId)}::uuid[],
                      ${records.map((r) => r.value)}::double precision[], ${records.map((r) => r.measuredAt.toISOString())}::timestamptz[])
               AS r(external_id, moment_id, value, measured_at)
        ON CONFLICT (external_id) DO NOTHING`;
      return inserted;
    },
  };
}
