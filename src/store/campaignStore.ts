import { callsPerMessage, type CampaignStore, type CampaignSummary } from '../domain/campaigns.js';
import type { DeparturesStore } from '../domain/departures.js';
import { addDays } from '../domain/weeks.js';
import type { Db } from './database.js';
import type { Prisma } from './generated/client.js';
import { queueNotices } from './issueStore.js';
import { betweenLocalMidnights } from './localDays.js';

const day = (date: Date) => date.toISOString().slice(0, 10);

type CampaignRow = Prisma.CampaignGetPayload<object>;
const summary = (row: CampaignRow): CampaignSummary => ({
  id: row.id,
  number: row.number,
  name: row.name,
  status: row.status,
  dueOn: day(row.dueOn),
  guidance: row.guidance,
  platform: row.platform,
});

export function campaignStore(db: Db): CampaignStore {
  return {
    async lostCustomers({ lostFrom, lostUntil, segments, minValue, timeZone }) {
      // Each customer's latest loss in the period, if they have not come back since.
      const rows = await db.$queryRaw<
        Array<{ customer_id: string; name: string; segment: string; value: string; occurred_at: Date }>
      >`
        SELECT DISTINCT ON (e.customer_id) e.customer_id, c.name, e.segment, e.value::text AS value, e.occurred_at
          FROM customer_event e JOIN customer c ON c.id = e.customer_id
         WHERE e.kind = 'lost'
           AND ${betweenLocalMidnights('e.occurred_at', lostFrom, addDays(lostUntil, 1), timeZone)}
           AND (cardinality(${segments}::text[]) = 0 OR e.segment = ANY(${segments}::text[]))
           AND e.value >= ${minValue}
           AND NOT EXISTS (SELECT 1 FROM customer_event back
                            WHERE back.customer_id = e.customer_id AND back.kind IN ('won', 'reactivated') AND back.occurred_at > e.occurred_at)
         ORDER BY e.customer_id, e.occurred_at DESC`;
      return rows.map((row) => ({
        customerId: row.customer_id,
        name: row.name,
        segment: row.segment,
        valueLost: Number(row.value),
        lostAt: row.occurred_at,
      }));
    },

    async createCampaign(input, calls, notices) {
      return db.$transaction(
        async (tx) => {
          const row = await tx.campaign.create({
            data: {
              name: input.name,
              platform: input.platform,
              startedBy: input.startedBy,
              lostFrom: new Date(`${input.lostFrom}T00:00:00Z`),
              lostUntil: new Date(`${input.lostUntil}T00:00:00Z`),
              segments: input.segments,
              minValue: input.minValue,
              dueOn: new Date(`${input.dueOn}T00:00:00Z`),
              guidance: input.guidance,
            },
          });
          await tx.campaignCall.createMany({
            data: calls.map((call) => ({
              campaignId: row.id,
              customerId: call.customerId,
              segment: call.segment,
              valueLost: call.valueLost,
              lostAt: call.lostAt,
              callerId: call.callerId,
              part: call.part,
            })),
          });
          const created = summary(row);
          await queueNotices(tx, notices(created));
          return created;
        },
        { timeout: 60_000 },
      );
    },

    async campaignByNumber(number) {
      const row = await db.campaign.findUnique({ where: { number } });
      return row ? summary(row) : null;
    },

    async latestCampaign() {
      const row = await db.campaign.findFirst({ orderBy: { number: 'desc' } });
      return row ? summary(row) : null;
    },

    async callById(id) {
      const row = await db.campaignCall.findUnique({ where: { id }, include: { campaign: true } });
      return row
        ? { id: row.id, campaign: summary(row.campaign), callerId: row.callerId, part: row.part, status: row.status }
        : null;
    },

    async cards(campaignId, callerId, part) {
      const rows = await db.campaignCall.findMany({
        where: { campaignId, callerId, ...(part === undefined ? {} : { part }) },
        orderBy: [{ valueLost: 'desc' }, { id: 'asc' }],
        include: { customer: { select: { name: true, contact: true } }, reasonCategory: { select: { name: true } } },
      });
      return rows.map((row) => ({
        callId: row.id,
        customerName: row.customer.name,
        segment: row.segment,
        valueLost: Number(row.valueLost),
        lostAt: row.lostAt.toISOString(),
        contact: row.customer.contact,
        status: row.status,
        reason: row.reasonCategory?.name ?? row.reasonOther,
      }));
    },

    async recordCall(id, outcome) {
      await db.campaignCall.update({
        where: { id },
        data: {
          status: outcome.reached ? 'reached' : 'unreachable',
          reasonCategoryId: outcome.reason && outcome.reason !== 'other' ? outcome.reason : null,
          reasonOther: outcome.reason === 'other' ? (outcome.reasonOther ?? null) : null,
          stageId: outcome.stageId ?? null,
          verbatim: outcome.verbatim || null,
          mightReturn: outcome.mightReturn ?? null,
          followUpOwner: outcome.followUpOwner ?? null,
          loggedBy: outcome.loggedBy,
          loggedAt: outcome.loggedAt,
        },
      });
    },

    async progress(campaignId) {
      const rows = await db.campaignCall.groupBy({
        by: ['callerId', 'status'],
        where: { campaignId },
        _count: { _all: true },
        orderBy: { callerId: 'asc' },
      });
      const callers = new Map<string, { callerId: string; done: number; open: number }>();
      for (const row of rows) {
        const caller = callers.get(row.callerId) ?? { callerId: row.callerId, done: 0, open: 0 };
        if (row.status === 'open') caller.open += row._count._all;
        else caller.done += row._count._all;
        callers.set(row.callerId, caller);
      }
      return [...callers.values()];
    },

    async reasons(campaignId) {
      const rows = await db.$queryRaw<Array<{ reason: string; customers: number; value: string }>>`
        SELECT coalesce(fc.name, 'Other: ' || cc.reason_other, 'Other') AS reason, count(*)::int AS customers, sum(cc.value_lost)::text AS value
          FROM campaign_call cc LEFT JOIN feedback_category fc ON fc.id = cc.reason_category_id
         WHERE cc.campaign_id = ${campaignId}::uuid AND cc.status = 'reached'
         GROUP BY 1 ORDER BY 2 DESC, 1`;
      return rows.map((row) => ({ reason: row.reason, customers: row.customers, value: Number(row.value) }));
    },

    async reassign(campaignId, from, to, notice) {
      return db.$transaction(async (tx) => {
        const open = await tx.campaignCall.findMany({
          where: { campaignId, callerId: from, status: 'open' },
          orderBy: { valueLost: 'desc' },
          select: { id: true },
        });
        if (!open.length) return 0;
        const last = await tx.campaignCall.aggregate({ where: { campaignId, callerId: to }, _max: { part: true } });
        let part = (last._max.part ?? -1) + 1;
        for (let start = 0; start < open.length; start += callsPerMessage, part++) {
          const ids = open.slice(start, start + callsPerMessage).map((call) => call.id);
          await tx.campaignCall.updateMany({ where: { id: { in: ids } }, data: { callerId: to, part } });
          await queueNotices(tx, [notice(ids, part)]);
        }
        return open.length;
      });
    },

    async setStatus(campaignId, status, notices) {
      await db.$transaction(async (tx) => {
        await tx.campaign.update({
          where: { id: campaignId },
          data: { status, ...(status === 'closed' ? { closedAt: new Date() } : {}) },
        });
        await queueNotices(tx, notices);
      });
    },

    async callersToRemind(today, days) {
      const rows = await db.$queryRaw<Array<{ campaign_id: string; caller_id: string; open: number }>>`
        SELECT cc.campaign_id, cc.caller_id, count(*)::int AS open
          FROM campaign_call cc JOIN campaign c ON c.id = cc.campaign_id
         WHERE c.status = 'active' AND cc.status = 'open'
           AND c.due_on >= ${today}::date AND c.due_on <= ${today}::date + ${days}::int
         GROUP BY 1, 2 ORDER BY 1, 2`;
      const campaigns = await db.campaign.findMany({
        where: { id: { in: [...new Set(rows.map((row) => row.campaign_id))] } },
      });
      return rows.map((row) => ({
        campaign: summary(campaigns.find((campaign) => campaign.id === row.campaign_id)!),
        callerId: row.caller_id,
        open: row.open,
      }));
    },

    async queue(notices) {
      await db.$transaction((tx) => queueNotices(tx, notices));
    },

    async segments() {
      const rows = await db.customerEvent.findMany({
        where: { kind: 'lost' },
        distinct: ['segment'],
        select: { segment: true },
        orderBy: { segment: 'asc' },
        take: 100,
      });
      return rows.map((row) => row.segment);
    },

    async digestChannels() {
      return db.channelSubscription.findMany({
        where: { purpose: 'digest' },
        select: { platform: true, channelId: true },
      });
    },
  };
}

export function departuresStore(db: Db): DeparturesStore {
  return {
    async reasonsLogged(period, timeZone) {
      // Ordered by the sum itself: the value column is text, where '5000.00' sorts above '12000.00'.
      const rows = await db.$queryRaw<
        Array<{ reason: string; stage: string | null; customers: number; value: string }>
      >`
        SELECT coalesce(fc.name, 'Other') AS reason, js.name AS stage, count(*)::int AS customers, sum(cc.value_lost)::text AS value
          FROM campaign_call cc
          LEFT JOIN feedback_category fc ON fc.id = cc.reason_category_id
          LEFT JOIN journey_stage js ON js.id = cc.stage_id
         WHERE cc.status = 'reached'
           AND ${betweenLocalMidnights('cc.logged_at', period.start, period.end, timeZone)}
         GROUP BY 1, 2 ORDER BY 3 DESC, sum(cc.value_lost) DESC, 1`;
      return rows.map((row) => ({
        reason: row.reason,
        stageName: row.stage,
        customers: row.customers,
        value: Number(row.value),
      }));
    },

    async storyCalls(period, timeZone, limit) {
      const rows = await db.$queryRaw<
        Array<{
          segment: string;
          value: string;
          lost_at: Date;
          reason: string;
          stage: string | null;
          verbatim: string | null;
          might_return: 'yes' | 'no' | 'maybe' | null;
          months: number | null;
        }>
      >`
        SELECT cc.segment, cc.value_lost::text AS value, cc.lost_at, coalesce(fc.name, cc.reason_other, 'Other') AS reason,
               js.name AS stage, cc.verbatim, cc.might_return::text AS might_return,
               (SELECT (extract(year FROM age(cc.lost_at, min(w.occurred_at))) * 12 + extract(month FROM age(cc.lost_at, min(w.occurred_at))))::int
                  FROM customer_event w WHERE w.customer_id = cc.customer_id AND w.kind = 'won') AS months
          FROM campaign_call cc
          LEFT JOIN feedback_category fc ON fc.id = cc.reason_category_id
          LEFT JOIN journey_stage js ON js.id = cc.stage_id
         WHERE cc.status = 'reached'
           AND ${betweenLocalMidnights('cc.logged_at', period.start, period.end, timeZone)}
         ORDER BY (cc.verbatim IS NULL), cc.value_lost DESC, cc.id
         LIMIT ${limit}`;
      return rows.map((row) => ({
        segment: row.segment,
        valueLost: Number(row.value),
        lostAt: row.lost_at,
        reason: row.reason,
        stageName: row.stage,
        verbatim: row.verbatim,
        mightReturn: row.might_return,
        customerForMonths: row.months,
      }));
    },
  };
}
