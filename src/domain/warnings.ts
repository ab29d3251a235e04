// The revenue-erosion early warning system: know before customers tell you. A moment whose
// latest reading breaks its standard warns once, and not again until a reading meets the
// standard (which is announced too). Complaints at a stage, or in one category at a stage,
// that rise well above their own recent weeks warn once a week. Each warning tells the whole
// story: the readings, the complaints and their words, the customers lost there, the owner.
// The figures come from SQL; what they mean is decided here, in plain code, so it is tested.
import { sourceWords, type FeedbackSource, type Severity } from './feedback.js';
import { meetsStandard, type Moment, type MomentOwner } from './moments.js';
import type { NoticeDraft } from './notices.js';
import type { Platform } from './people.js';
import { poissonUpperTail } from './poisson.js';
import type { Period } from './periods.js';
import { addDays, weekContaining, type WeekStart } from './weeks.js';
import type { WarningKind, WarningStory } from './warningNotices.js';

export type { WarningKind, WarningNoticeContent, WarningStory } from './warningNotices.js';

/**
 * When complaints count as a spike. This week so far is compared with the mean of the 8 full
 * weeks before it: it fires when at least `minimumCount` complaints came in AND a count that
 * high would happen by chance less than `pValue` of the time if the usual rate held (a
 * one-sided Poisson test). A stage with no complaints in 8 weeks is taken to usually have
 * `quietestBaseline` a week, so a first few complaints are judged against something.
 */
export interface SpikeRule {
  minimumCount: number;
  pValue: number;
  baselineWeeks: number;
  quietestBaseline: number;
}

export const spikeRule: SpikeRule = { minimumCount: 5, pValue: 0.01, baselineWeeks: 8, quietestBaseline: 0.5 };

/** At most this many warnings a channel hears one by one per check, and per 24 hours; the rest come as one summary. */
export const warningLimits = { perCheck: 5, perDay: 10 };

export interface SpikeVerdict {
  spike: boolean;
  count: number;
  /** Mean complaints a week over the baseline weeks (before the quietest floor). */
  weeklyBaseline: number;
  /** P(at least `count` | the usual rate). */
  pValue: number;
}

export function judgeSpike(count: number, previousWeeks: number[], rule: SpikeRule = spikeRule): SpikeVerdict {
  const weeklyBaseline = previousWeeks.reduce((sum, week) => sum + week, 0) / rule.baselineWeeks;
  const pValue = poissonUpperTail(count, Math.max(weeklyBaseline, rule.quietestBaseline));
  return { spike: count >= rule.minimumCount && pValue < rule.pValue, count, weeklyBaseline, pValue };
}

export interface Reading {
  value: number;
  at: Date;
}

export interface MomentState {
  moment: Moment;
  latest: Reading | null;
  /** When the reading that broke the standard was taken, while a warning is standing. */
  belowSince: Date | null;
}

export type MomentChange =
  | { kind: 'belowStandard'; moment: Moment; latest: Reading; since: Date }
  | { kind: 'recovered'; moment: Moment; latest: Reading; since: Date };

/** One warning per episode below standard: only the latest reading counts, and only a change of side is news. */
export function momentChanges(states: MomentState[]): MomentChange[] {
  return states.flatMap((state): MomentChange[] => {
    if (!state.latest) return [];
    const meets = meetsStandard(state.moment, state.latest.value);
    if (!meets && !state.belowSince)
      return [{ kind: 'belowStandard', moment: state.moment, latest: state.latest, since: state.latest.at }];
    if (meets && state.belowSince)
      return [{ kind: 'recovered', moment: state.moment, latest: state.latest, since: state.belowSince }];
    return [];
  });
}

/** Complaints at one stage (categoryId null: every category) this week so far and in each of the weeks before. */
export interface ComplaintCounts {
  stageId: string;
  stageName: string;
  categoryId: string | null;
  categoryName: string | null;
  thisWeek: number;
  /** Index 0 is last week, 1 the week before, … up to the rule's baseline weeks. */
  previousWeeks: number[];
}

export interface Spike {
  counts: ComplaintCounts;
  verdict: SpikeVerdict;
}

export function complaintSpikes(counts: ComplaintCounts[], rule: SpikeRule = spikeRule): Spike[] {
  return counts.flatMap((entry) => {
    const verdict = judgeSpike(entry.thisWeek, entry.previousWeeks.slice(0, rule.baselineWeeks), rule);
    return verdict.spike ? [{ counts: entry, verdict }] : [];
  });
}

export function warningKey(change: MomentChange | Spike, weekStart: WeekStart): string {
  if ('verdict' in change) return `spike:${change.counts.stageId}:${change.counts.categoryId ?? 'all'}:${weekStart}`;
  return `${change.kind === 'belowStandard' ? 'below' : 'recovered'}:${change.moment.id}:${change.since.toISOString()}`;
}

export interface VerbatimCandidate {
  text: string;
  segment: string | null;
  customerName: string | null;
  source: FeedbackSource;
  severity: Severity | null;
  loggedAt: Date;
}

export interface LostCustomer {
  customerName: string;
  segment: string;
  value: number;
  reason: string | null;
}

/** What the bot knows about a stage (or a category at it) this week, to tell the story around a warning. */
export interface StageContext {
  verbatims: VerbatimCandidate[];
  /** Customers lost this week whose call or reason points at this stage (or category). */
  lost: LostCustomer[];
}

export interface WarningChannel {
  platform: Platform;
  channelId: string;
  /** Warning messages queued for it in the last 24 hours. */
  warningsToday: number;
}

export interface WarningSnapshot {
  moments: MomentState[];
  complaints: ComplaintCounts[];
  /** Keys of this week's spikes already raised: a spike warns once a week. */
  raisedSpikes: Set<string>;
  channels: WarningChannel[];
}

export interface RaisedWarning {
  key: string;
  kind: WarningKind;
  momentId: string | null;
  stageId: string;
  categoryId: string | null;
  weekStart: WeekStart;
  story: WarningStory;
  /** For moments: the standing state this warning moves to (set or cleared), claimed with it. */
  belowSince: { from: Date | null; to: Date | null } | null;
}

/** One check's view of the database, inside a transaction that holds the check's lock. */
export interface WarningCheckTx {
  snapshot(weekStart: WeekStart, timeZone: string, now: Date): Promise<WarningSnapshot>;
  recentReadings(momentIds: string[], perMoment: number): Promise<Map<string, Reading[]>>;
  stageContext(
    wanted: Array<{ stageId: string; categoryId: string | null }>,
    weekStart: WeekStart,
    timeZone: string,
  ): Promise<Map<string, StageContext>>;
  /** Raises each warning whose key is new and moves its moment's state; returns those raised, with their ids. Notices are queued in the same transaction. */
  record(
    warnings: RaisedWarning[],
    notices: (raised: Array<{ id: string; warning: RaisedWarning }>) => NoticeDraft[],
  ): Promise<Array<{ id: string; warning: RaisedWarning }>>;
}

export interface WarningCheckStore {
  /** The same figures, read outside any transaction or lock: a look to see whether there is anything to do. */
  snapshot: WarningCheckTx['snapshot'];
  /** Runs `work` in one transaction, one check at a time across every process. */
  inCheck<T>(work: (tx: WarningCheckTx) => Promise<T>): Promise<T>;
}

export interface WarningCheckDeps {
  store: WarningCheckStore;
  clock: () => Date;
  timeZone: string;
  showCustomerNames: boolean;
  rule?: SpikeRule;
}

export const contextKey = (stageId: string, categoryId: string | null) => `${stageId}:${categoryId ?? 'all'}`;

const readingsShown = 6;
const verbatimsShown = 3;
const lostShown = 3;

export function unitText(value: number, unit: string): string {
  const number = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/** "about 1 week in 270", "less than 1 week in 10,000": how rare the count would be if nothing had changed. */
export function rarityWords(pValue: number): string {
  if (pValue < 1e-4) return 'less than 1 week in 10,000';
  return `about 1 week in ${Math.round(1 / pValue).toLocaleString('en')}`;
}

function attribution(candidate: VerbatimCandidate, showCustomerNames: boolean): string {
  const who =
    showCustomerNames && candidate.customerName
      ? `${candidate.customerName}${candidate.segment ? ` (${candidate.segment})` : ''}`
      : `A${candidate.segment && /^[aeiou]/i.test(candidate.segment) ? 'n' : ''} ${candidate.segment ? `${candidate.segment} customer` : 'customer'}`;
  return `${who}, via ${candidate.source === 'other' ? 'a colleague' : sourceWords[candidate.source]}`;
}

const severityRank: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

/** The strongest recent words, never a name unless the organisation allows it. */
export function pickVerbatims(
  candidates: VerbatimCandidate[],
  showCustomerNames: boolean,
): WarningStory['complaints']['verbatims'] {
  return candidates
    .filter((candidate) => candidate.text.trim().length >= 15 && /\p{L}/u.test(candidate.text))
    .sort(
      (a, b) =>
        (b.severity ? severityRank[b.severity] : 0) - (a.severity ? severityRank[a.severity] : 0) ||
        b.loggedAt.getTime() - a.loggedAt.getTime(),
    )
    .slice(0, verbatimsShown)
    .map((candidate) => {
      const text = candidate.text.replace(/\s+/g, ' ').trim();
      return {
        text: text.length > 300 ? `${text.slice(0, 299)}…` : text,
        attribution: attribution(candidate, showCustomerNames),
      };
    });
}

function lostStory(lost: LostCustomer[], showCustomerNames: boolean): WarningStory['lost'] {
  const sorted = [...lost].sort((a, b) => b.value - a.value);
  return {
    customers: lost.length,
    value: Math.round(lost.reduce((sum, customer) => sum + customer.value, 0) * 100) / 100,
    examples: sorted.slice(0, lostShown).map((customer) => ({
      who: showCustomerNames ? `${customer.customerName} (${customer.segment})` : `A ${customer.segment} customer`,
      value: customer.value,
      reason: customer.reason,
    })),
  };
}

function ownersAt(stageId: string, moments: Moment[]): MomentOwner[] {
  const owners = new Map<string, MomentOwner>();
  for (const moment of moments)
    if (moment.stageId === stageId)
      owners.set(`${moment.owner.platform}:${moment.owner.kind}:${moment.owner.id}`, moment.owner);
  return [...owners.values()];
}

const dateOf = (at: Date) => at.toISOString().slice(0, 10);

export function whyMoment(change: MomentChange): string {
  const { moment, latest } = change;
  const side = moment.better === 'higher' ? 'below' : 'above';
  if (change.kind === 'belowStandard') {
    return `${moment.metric} was ${unitText(latest.value, moment.unit)} on ${dateOf(latest.at)}, ${side} the minimum standard of ${unitText(moment.standard, moment.unit)} (${moment.better} is better).`;
  }
  return `${moment.metric} is back to ${unitText(latest.value, moment.unit)} on ${dateOf(latest.at)}, meeting the standard of ${unitText(moment.standard, moment.unit)} again after breaking it on ${dateOf(change.since)}.`;
}

export function whySpike(spike: Spike, rule: SpikeRule = spikeRule): string {
  const { counts, verdict } = spike;
  const where = counts.categoryName ? `about ${counts.categoryName} at ${counts.stageName}` : `at ${counts.stageName}`;
  return (
    `${verdict.count} complaints ${where} this week so far, against ${Number(verdict.weeklyBaseline.toFixed(1))} a week over the previous ${rule.baselineWeeks} weeks. ` +
    `If nothing had changed, ${verdict.count} or more in a week would happen ${rarityWords(verdict.pValue)}.`
  );
}

/** The headline of a warning in a few words, for the summary that stands in for warnings over the limit. */
export function headline(story: WarningStory): string {
  const where = story.categoryName ? `${story.categoryName} at ${story.stageName}` : story.stageName;
  if (story.kind === 'complaintSpike')
    return `Complaint spike: ${where} (${story.complaints.thisWeek} this week, usually ${Number(story.complaints.weeklyBaseline.toFixed(1))})`;
  const latest = story.moment!.readings[0]!;
  return `${story.kind === 'recovered' ? 'Recovered' : 'Below standard'}: ${story.moment!.name} (${unitText(latest.value, story.moment!.unit)}, standard ${unitText(story.moment!.standard, story.moment!.unit)})`;
}

/**
 * Per channel: warnings one by one up to what its limits leave, the rest in one summary, so a
 * bad morning is one screen, not a storm. Keys hold the warning id, so a retry owes nothing new.
 */
export function warningNotices(
  raised: Array<{ id: string; warning: RaisedWarning }>,
  channels: WarningChannel[],
  limits = warningLimits,
): NoticeDraft[] {
  if (!raised.length) return [];
  return channels.flatMap((channel) => {
    const room = Math.max(0, Math.min(limits.perCheck, limits.perDay - channel.warningsToday));
    const oneByOne = raised.length <= room ? raised : raised.slice(0, Math.max(0, room - 1));
    const rest = raised.slice(oneByOne.length);
    const target = { platform: channel.platform, target: channel.channelId, toUser: false };
    return [
      ...oneByOne.map(
        ({ id, warning }): NoticeDraft => ({
          key: `warning:${id}:${channel.platform}:${channel.channelId}`,
          ...target,
          content: { kind: 'earlyWarning', warningId: id, story: warning.story },
        }),
      ),
      ...(rest.length
        ? [
            {
              key: `warning-summary:${rest[0]!.id}:${channel.platform}:${channel.channelId}`,
              ...target,
              content: {
                kind: 'earlyWarningSummary' as const,
                headlines: rest.map(({ warning }) => headline(warning.story)),
              },
            },
          ]
        : []),
    ];
  });
}

const kindOrder: Record<WarningKind, number> = { belowStandard: 0, complaintSpike: 1, recovered: 2 };

export interface WarningCheck {
  weekStart: WeekStart;
  raised: Array<{ id: string; kind: WarningKind; key: string }>;
}

/** One check of every moment, stage and category; safe to run from several processes at once. */
export async function checkWarnings(deps: WarningCheckDeps): Promise<WarningCheck> {
  const rule = deps.rule ?? spikeRule;
  const now = deps.clock();
  const weekStart = weekContaining(now, deps.timeZone);
  const news = (snapshot: WarningSnapshot) => ({
    changes: momentChanges(snapshot.moments),
    spikes: complaintSpikes(snapshot.complaints, rule).filter(
      (spike) => !snapshot.raisedSpikes.has(warningKey(spike, weekStart)),
    ),
  });
  // Most checks find nothing new: a look without the lock ends those at once. When there is news, the check looks
  // again under the lock and decides from that, so what is raised is still decided by one process at a time.
  const glance = news(await deps.store.snapshot(weekStart, deps.timeZone, now));
  if (!glance.changes.length && !glance.spikes.length) return { weekStart, raised: [] };
  return deps.store.inCheck(async (tx) => {
    const snapshot = await tx.snapshot(weekStart, deps.timeZone, now);
    const { changes, spikes } = news(snapshot);
    if (!changes.length && !spikes.length) return { weekStart, raised: [] };

    const moments = snapshot.moments.map((state) => state.moment);
    const stageTotals = new Map(
      snapshot.complaints.filter((entry) => entry.categoryId === null).map((entry) => [entry.stageId, entry]),
    );
    const wanted = [
      ...changes.map((change) => ({ stageId: change.moment.stageId, categoryId: null })),
      ...spikes.map((spike) => ({ stageId: spike.counts.stageId, categoryId: spike.counts.categoryId })),
    ];
    const [readings, contexts] = await Promise.all([
      tx.recentReadings(
        changes.map((change) => change.moment.id),
        readingsShown,
      ),
      tx.stageContext(wanted, weekStart, deps.timeZone),
    ]);
    const contextOf = (stageId: string, categoryId: string | null) =>
      contexts.get(contextKey(stageId, categoryId)) ?? { verbatims: [], lost: [] };

    const warnings: RaisedWarning[] = [
      ...changes.map((change): RaisedWarning => {
        const { moment } = change;
        const totals = stageTotals.get(moment.stageId);
        const context = contextOf(moment.stageId, null);
        return {
          key: warningKey(change, weekStart),
          kind: change.kind,
          momentId: moment.id,
          stageId: moment.stageId,
          categoryId: null,
          weekStart,
          belowSince:
            change.kind === 'belowStandard' ? { from: null, to: change.since } : { from: change.since, to: null },
          story: {
            kind: change.kind,
            weekStart,
            stageName: moment.stageName,
            categoryName: null,
            why: whyMoment(change),
            moment: {
              name: moment.name,
              metric: moment.metric,
              unit: moment.unit,
              better: moment.better,
              standard: moment.standard,
              readings: (readings.get(moment.id) ?? [change.latest]).map((reading) => ({
                value: reading.value,
                at: reading.at.toISOString(),
                meets: meetsStandard(moment, reading.value),
              })),
              belowSince: change.since.toISOString(),
            },
            complaints: {
              thisWeek: totals?.thisWeek ?? 0,
              weeklyBaseline: totals
                ? totals.previousWeeks.slice(0, rule.baselineWeeks).reduce((sum, week) => sum + week, 0) /
                  rule.baselineWeeks
                : 0,
              pValue: null,
              verbatims: pickVerbatims(context.verbatims, deps.showCustomerNames),
            },
            lost: lostStory(context.lost, deps.showCustomerNames),
            owners: [moment.owner],
          },
        };
      }),
      ...spikes.map((spike): RaisedWarning => {
        const context = contextOf(spike.counts.stageId, spike.counts.categoryId);
        return {
          key: warningKey(spike, weekStart),
          kind: 'complaintSpike',
          momentId: null,
          stageId: spike.counts.stageId,
          categoryId: spike.counts.categoryId,
          weekStart,
          belowSince: null,
          story: {
            kind: 'complaintSpike',
            weekStart,
            stageName: spike.counts.stageName,
            categoryName: spike.counts.categoryName,
            why: whySpike(spike, rule),
            moment: null,
            complaints: {
              thisWeek: spike.verdict.count,
              weeklyBaseline: spike.verdict.weeklyBaseline,
              pValue: spike.verdict.pValue,
              verbatims: pickVerbatims(context.verbatims, deps.showCustomerNames),
            },
            lost: lostStory(context.lost, deps.showCustomerNames),
            owners: ownersAt(spike.counts.stageId, moments),
          },
        };
      }),
    ].sort(
      (a, b) =>
        kindOrder[a.kind] - kindOrder[b.kind] || (a.story.complaints.pValue ?? 0) - (b.story.complaints.pValue ?? 0),
    );

    const raised = await tx.record(warnings, (recorded) => warningNotices(recorded, snapshot.channels));
    return { weekStart, raised: raised.map(({ id, warning }) => ({ id, kind: warning.kind, key: warning.key })) };
  });
}

/** The first day of the baseline: the rule's weeks before this week's Monday. */
export const baselineStart = (weekStart: WeekStart, rule: SpikeRule = spikeRule) =>
  addDays(weekStart, -7 * rule.baselineWeeks);

/** The digest's "Early warning" section: what stood below standard at the period's end, the period's spikes, what recovered. */
export interface EarlyWarnings {
  belowStandard: Array<{
    moment: string;
    stageName: string;
    latest: string;
    standard: string;
    since: string;
    days: number;
  }>;
  spikes: Array<{ stageName: string; categoryName: string | null; complaints: number; weeklyBaseline: number }>;
  recovered: Array<{ moment: string; stageName: string; days: number }>;
}

/** Warnings as stored, for the digest's period. */
export interface WarningRecord {
  kind: WarningKind;
  story: WarningStory;
  raisedAt: Date;
}

export interface EarlyWarningStore {
  /** Below-standard warnings still standing at the period's end, the period's spikes (by the week they fired in) and recoveries, oldest first; and the period's end as an instant. */
  earlyWarningRecords(period: Period, timeZone: string): Promise<{ warnings: WarningRecord[]; periodEnd: Date }>;
}

const wholeDays = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / 86_400_000));

export async function earlyWarningsIn(
  store: EarlyWarningStore,
  period: Period,
  timeZone: string,
): Promise<EarlyWarnings> {
  const { warnings, periodEnd } = await store.earlyWarningRecords(period, timeZone);
  const week: EarlyWarnings = { belowStandard: [], spikes: [], recovered: [] };
  for (const { kind, story, raisedAt } of warnings) {
    if (kind === 'complaintSpike')
      week.spikes.push({
        stageName: story.stageName,
        categoryName: story.categoryName,
        complaints: story.complaints.thisWeek,
        weeklyBaseline: story.complaints.weeklyBaseline,
      });
    else if (story.moment && kind === 'belowStandard') {
      const since = new Date(story.moment.belowSince);
      week.belowStandard.push({
        moment: story.moment.name,
        stageName: story.stageName,
        latest: unitText(story.moment.readings[0]?.value ?? Number.NaN, story.moment.unit),
        standard: unitText(story.moment.standard, story.moment.unit),
        since: story.moment.belowSince.slice(0, 10),
        days: wholeDays(since, periodEnd),
      });
    } else if (story.moment)
      week.recovered.push({
        moment: story.moment.name,
        stageName: story.stageName,
        days: wholeDays(new Date(story.moment.belowSince), raisedAt),
      });
  }
  return week;
}

export const hasEarlyWarnings = (warnings: EarlyWarnings) =>
  warnings.belowStandard.length + warnings.spikes.length + warnings.recovered.length > 0;
