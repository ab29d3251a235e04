// Priorities (Bliss, CCO 2.0): the company follows 5 to 10 at a time, each until customers'
// lives are improved. The measure cannot be gamed: complaints on what the priority is about
// (its issues, its stages, the stages of its moments), week by week, against the baseline:
// the weekly average of the 8 full weeks before the week it started. It is done only once
// those complaints have stayed below the baseline for the weeks the CCO sets (4 by default).
// Each new one says what the company stops doing to make room. The counts come from SQL;
// what they mean is decided here, in plain code, so it is tested.
import { z } from 'zod';
import type { NoticeDraft } from './notices.js';
import { notAllowed, type Refusal } from './outcome.js';
import { commandFor, type People, type Person, type Platform } from './people.js';
import type { PriorityFall, PriorityOwner } from './priorityNotices.js';
import { addDays, localDate, weekContaining, type WeekStart } from './weeks.js';

export type { PriorityFall, PriorityNoticeContent, PriorityOwner } from './priorityNotices.js';

export const priorityRule = {
  /** An eleventh is refused: finish one first. */
  most: 10,
  /** Fewer is allowed; the list says the book recommends 5 to 10. */
  fewestRecommended: 5,
  /** The baseline is the weekly average over this many full weeks before the week it started. */
  baselineWeeks: 8,
  defaultQuietWeeks: 4,
  maxQuietWeeks: 26,
  /** The announcement compares four weeks before with the last four. */
  fallWeeks: 4,
};

export interface PriorityRecord {
  id: string;
  number: number;
  title: string;
  owner: PriorityOwner;
  stopDoing: string;
  issues: Array<{ id: string; number: number; title: string }>;
  stages: Array<{ id: string; name: string }>;
  moments: Array<{ id: string; name: string; stageName: string }>;
  quietWeeks: number;
  /** The local date it started (YYYY-MM-DD). */
  startedOn: string;
  doneAt: Date | null;
}

/** Complaints in a priority's scope per week: week 0 is the week it started, -1 the week before, and so on. */
export type WeeklyComplaints = Array<{ week: number; complaints: number }>;

export interface PriorityDraft {
  title: string;
  owner: PriorityOwner;
  stopDoing: string;
  issueIds: string[];
  stageIds: string[];
  momentIds: string[];
  startedOn: string;
  quietWeeks: number;
  createdBy: Person;
}

export interface PriorityReporter {
  platform: Platform;
  userId: string;
  feedbackNumbers: number[];
}

export interface PriorityChoices {
  issues: Array<{ id: string; number: number; title: string; stageName: string }>;
  stages: Array<{ id: string; name: string }>;
  moments: Array<{ id: string; name: string; stageName: string }>;
}

/** What a warning points at, to start a priority from it. */
export interface WarningScope {
  stageId: string;
  momentId: string | null;
  title: string;
}

export interface PriorityStore {
  /** Open priorities and those done at or after `doneSince`, oldest first. */
  priorities(doneSince: Date): Promise<PriorityRecord[]>;
  priorityByNumber(number: number): Promise<PriorityRecord | null>;
  /** Complaints per week for each priority, from its baseline weeks to the week before `untilWeek`, counted in SQL. */
  weeklyComplaints(
    priorityIds: string[],
    untilWeek: WeekStart,
    timeZone: string,
  ): Promise<Map<string, WeeklyComplaints>>;
  /**
   * Adds it unless `most` are open already (then those), one add at a time, so two at once
   * cannot make an eleventh. Ids that name nothing are left out.
   */
  add(
    draft: PriorityDraft,
    most: number,
  ): Promise<{ added: PriorityRecord } | { full: PriorityRecord[] } | 'nothingKnown'>;
  setQuietWeeks(priorityId: string, weeks: number): Promise<void>;
  /**
   * In one transaction: marks it done unless someone did first, and queues the notices built
   * from the people who reported its complaints and the announcement channels.
   */
  markDone(
    priorityId: string,
    by: Person,
    at: Date,
    timeZone: string,
    notices: (
      reporters: PriorityReporter[],
      channels: Array<{ platform: Platform; channelId: string }>,
    ) => NoticeDraft[],
  ): Promise<{ reporters: number; channels: number } | 'alreadyDone'>;
  choices(): Promise<PriorityChoices>;
  warningScope(warningId: string): Promise<WarningScope | null>;
}

/** Where one priority stands: what the State of the Customer, the digest and the customer room show. */
export interface PriorityStanding {
  number: number;
  title: string;
  owner: PriorityOwner;
  stopDoing: string;
  /** "issue #7 Double charges", "stage Get help", "moment Call answered (Get help)". */
  about: string[];
  startedOn: string;
  quietWeeks: number;
  /** Complaints a week over the baseline weeks. */
  baseline: number;
  /** Complete weeks since the week it started, oldest first. */
  weeks: Array<{ weekStart: WeekStart; complaints: number }>;
  /** The week in progress, so far. */
  thisWeekSoFar: number;
  /** The most recent complete weeks in a row below the baseline. */
  weeksBelow: number;
  /** Below the baseline for long enough: it may be marked done. */
  ready: boolean;
  done: boolean;
  doneAt: string | null;
}

/** A week is quiet when its complaints are below the baseline; a week with none at all always is. */
export function isQuietWeek(complaints: number, baseline: number): boolean {
  return complaints < baseline || complaints === 0;
}

/** A number of complaints a week as people read it: 8, 7.5, 0.4. */
export function perWeek(value: number): string {
  return String(Number(value.toFixed(1)));
}

export function aboutWords(record: Pick<PriorityRecord, 'issues' | 'stages' | 'moments'>): string[] {
  return [
    ...record.issues.map((issue) => `issue #${issue.number} ${issue.title}`),
    ...record.stages.map((stage) => `stage ${stage.name}`),
    ...record.moments.map((moment) => `moment ${moment.name} (${moment.stageName})`),
  ];
}

/** The Monday of the week the priority started. */
export const startWeekOf = (record: Pick<PriorityRecord, 'startedOn'>): WeekStart =>
  weekContaining(new Date(`${record.startedOn}T12:00:00Z`), 'UTC');

/** The standing as of the week `currentWeek` (in progress): the weeks before it are complete. */
export function standingOf(
  record: PriorityRecord,
  counts: WeeklyComplaints,
  currentWeek: WeekStart,
  rule = priorityRule,
): PriorityStanding {
  const startWeek = startWeekOf(record);
  const byWeek = new Map(counts.map((entry) => [entry.week, entry.complaints]));
  let baselineTotal = 0;
  for (let week = -rule.baselineWeeks; week < 0; week++) baselineTotal += byWeek.get(week) ?? 0;
  const baseline = baselineTotal / rule.baselineWeeks;
  const complete = Math.max(0, Math.round((Date.parse(currentWeek) - Date.parse(startWeek)) / (7 * 86_400_000)));
  const weeks = Array.from({ length: complete }, (_, week) => ({
    weekStart: addDays(startWeek, 7 * week),
    complaints: byWeek.get(week) ?? 0,
  }));
  let weeksBelow = 0;
  for (let index = weeks.length - 1; index >= 0 && isQuietWeek(weeks[index]!.complaints, baseline); index--)
    weeksBelow++;
  return {
    number: record.number,
    title: record.title,
    owner: record.owner,
    stopDoing: record.stopDoing,
    about: aboutWords(record),
    startedOn: record.startedOn,
    quietWeeks: record.quietWeeks,
    baseline,
    weeks,
    thisWeekSoFar: byWeek.get(complete) ?? 0,
    weeksBelow,
    ready: weeksBelow >= record.quietWeeks,
    done: record.doneAt !== null,
    doneAt: record.doneAt ? record.doneAt.toISOString() : null,
  };
}

/** Done priorities stay in the standings this long, so the month's story can tell of them. */
const doneShownDays = 92;

/** Each priority as of `currentWeek`, the week in progress: the weeks before it are complete. */
async function standingsForWeek(
  store: Pick<PriorityStore, 'priorities' | 'weeklyComplaints'>,
  currentWeek: WeekStart,
  timeZone: string,
  doneSince: Date,
): Promise<PriorityStanding[]> {
  const records = (await store.priorities(doneSince)).filter((record) => record.startedOn < addDays(currentWeek, 7));
  if (!records.length) return [];
  const counts = await store.weeklyComplaints(
    records.map((record) => record.id),
    addDays(currentWeek, 7),
    timeZone,
  );
  return records
    .map((record) => standingOf(record, counts.get(record.id) ?? [], currentWeek))
    .sort((a, b) => Number(a.done) - Number(b.done) || a.number - b.number);
}

/**
 * Each current priority with its progress, as of `asOf`: title, owner, baseline, complaints in
 * each complete week since it started, weeks below the baseline, done or not. Open ones first,
 * then those done in the last three months.
 */
export function priorityStandings(
  store: Pick<PriorityStore, 'priorities' | 'weeklyComplaints'>,
  asOf: Date,
  timeZone: string,
): Promise<PriorityStanding[]> {
  return standingsForWeek(
    store,
    weekContaining(asOf, timeZone),
    timeZone,
    new Date(asOf.getTime() - doneShownDays * 86_400_000),
  );
}

/** The standings at the end of a digest's week: that week is the last complete one. */
export async function priorityStandingsForWeek(
  store: Pick<PriorityStore, 'priorities' | 'weeklyComplaints'>,
  weekStart: WeekStart,
  timeZone: string,
): Promise<PriorityStanding[]> {
  const standings = await standingsForWeek(
    store,
    addDays(weekStart, 7),
    timeZone,
    new Date(Date.parse(`${weekStart}T00:00:00Z`) - 86_400_000),
  );
  return standings.filter((standing) => standing.startedOn < addDays(weekStart, 7));
}

/** "complaints were 9, 7, 12 a week against a baseline of 8; done needs 4 weeks below 8". */
export function notYetWords(standing: PriorityStanding): string {
  const bar = perWeek(standing.baseline);
  const needs = `done needs ${standing.quietWeeks} ${standing.quietWeeks === 1 ? 'week' : 'weeks'} below ${bar}`;
  if (!standing.weeks.length)
    return `it started on ${standing.startedOn} and no complete week has passed yet (${standing.thisWeekSoFar} so far this week, against a baseline of ${bar}); ${needs}`;
  const shown = standing.weeks.slice(-Math.max(standing.quietWeeks, 1)).map((week) => week.complaints);
  const below = standing.weeksBelow
    ? `: ${standing.weeksBelow} ${standing.weeksBelow === 1 ? 'week' : 'weeks'} below so far`
    : '';
  return `complaints were ${shown.join(', ')} a week against a baseline of ${bar}${below}; ${needs}`;
}

/** The fall the announcement tells of: four weeks at the baseline's rate against the last four complete weeks. */
export function fallOf(standing: PriorityStanding, locale = 'en-GB', rule = priorityRule): PriorityFall {
  const recent = standing.weeks.slice(-rule.fallWeeks);
  const after = recent.reduce((sum, week) => sum + week.complaints, 0);
  return {
    before: Math.round(standing.baseline * rule.fallWeeks),
    after,
    since: new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${standing.startedOn}T12:00:00Z`),
    ),
  };
}

export function fallWords(title: string, fall: PriorityFall): string {
  return `Complaints about ${title} fell from ${fall.before} to ${fall.after} in four weeks since ${fall.since}.`;
}

/** The announcement in every announcement channel, and a thank-you to each person who reported its complaints. */
export function priorityDoneNotices(
  priority: PriorityRecord,
  standing: PriorityStanding,
  fall: PriorityFall,
  reporters: PriorityReporter[],
  channels: Array<{ platform: Platform; channelId: string }>,
): NoticeDraft[] {
  return [
    ...channels.map(
      (channel): NoticeDraft => ({
        key: `priority-done:${priority.id}:${channel.platform}:${channel.channelId}`,
        platform: channel.platform,
        target: channel.channelId,
        toUser: false,
        content: {
          kind: 'priorityDone',
          priorityNumber: priority.number,
          title: priority.title,
          owner: priority.owner,
          about: standing.about,
          fall,
          reporters: reporters.length,
        },
      }),
    ),
    ...reporters.map(
      (reporter): NoticeDraft => ({
        key: `priority-thanks:${priority.id}:${reporter.platform}:${reporter.userId}`,
        platform: reporter.platform,
        target: reporter.userId,
        toUser: true,
        content: {
          kind: 'priorityThanks',
          priorityNumber: priority.number,
          title: priority.title,
          fall,
          feedbackNumbers: reporter.feedbackNumbers.slice(0, 20),
        },
      }),
    ),
  ];
}

export interface PriorityDeps {
  store: PriorityStore;
  people: People;
  clock: () => Date;
  timeZone: string;
  locale: string;
}

export type PriorityField = 'title' | 'owner' | 'about' | 'stopDoing' | 'startedOn';

/** What the add form sends, read at the edge; ids are checked against the database by the store. */
export const priorityInput = z.object({
  title: z.string().trim().min(3, 'title').max(150, 'title'),
  owner: z.object({
    platform: z.enum(['slack', 'teams']),
    userId: z.string().min(1).max(100),
    name: z.string().max(200).nullable().default(null),
  }),
  issueIds: z.array(z.string().uuid()).max(50).default([]),
  stageIds: z.array(z.string().uuid()).max(50).default([]),
  momentIds: z.array(z.string().uuid()).max(50).default([]),
  stopDoing: z.string().trim().min(10, 'stopDoing').max(1000, 'stopDoing'),
  startedOn: z.string().optional(),
});

const fieldWords: Record<PriorityField, string> = {
  title: 'Give the priority a title of 3 to 150 characters, in words the company will recognise.',
  owner: 'Choose the person who owns it.',
  about: 'Choose at least one issue, stage or moment it is about: its complaints are how it is measured.',
  stopDoing:
    'Say what the company stops doing to make room for it (10 to 1,000 characters): a new priority without one is refused.',
  startedOn: 'The start date must be a real date (YYYY-MM-DD), not in the future and at most two years ago.',
};

export type PriorityAdded =
  | { ok: true; standing: PriorityStanding; open: number; message: string }
  | Refusal<'notAllowed' | 'invalid' | 'full', PriorityField>;

function refuseField(field: PriorityField): Refusal<'invalid', PriorityField> {
  return { ok: false, code: 'invalid', field, message: `${fieldWords[field]} Nothing was saved.` };
}

function openList(records: PriorityRecord[]): string {
  return records.map((record) => `#${record.number} ${record.title}`).join('; ');
}

export function recommendationWords(open: number, rule = priorityRule): string | null {
  if (open >= rule.fewestRecommended) return null;
  return `${open} open ${open === 1 ? 'priority' : 'priorities'}: the book recommends ${rule.fewestRecommended} to ${rule.most} at a time, each followed until customers' lives are better.`;
}

export async function addPriority(deps: PriorityDeps, by: Person, input: unknown): Promise<PriorityAdded> {
  const permission = await deps.people.may(by, 'managePriorities');
  if (!permission.allowed) return notAllowed(permission);
  const parsed = priorityInput.safeParse(input);
  if (!parsed.success) {
    const path = String(parsed.error.issues[0]!.path[0] ?? 'title');
    const field: PriorityField =
      path === 'issueIds' || path === 'stageIds' || path === 'momentIds'
        ? 'about'
        : ((['title', 'owner', 'stopDoing', 'startedOn'].includes(path) ? path : 'title') as PriorityField);
    return refuseField(field);
  }
  const values = parsed.data;
  if (!values.issueIds.length && !values.stageIds.length && !values.momentIds.length) return refuseField('about');
  const now = deps.clock();
  const today = localDate(now, deps.timeZone);
  const startedOn = values.startedOn?.trim() || today;
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(startedOn) &&
    new Date(`${startedOn}T00:00:00Z`).toISOString().slice(0, 10) === startedOn;
  if (!real || startedOn > today || startedOn < addDays(today, -731)) return refuseField('startedOn');
  const result = await deps.store.add(
    {
      title: values.title,
      owner: values.owner,
      stopDoing: values.stopDoing,
      issueIds: values.issueIds,
      stageIds: values.stageIds,
      momentIds: values.momentIds,
      startedOn,
      quietWeeks: priorityRule.defaultQuietWeeks,
      createdBy: by,
    },
    priorityRule.most,
  );
  if (result === 'nothingKnown') return refuseField('about');
  if ('full' in result)
    return {
      ok: false,
      code: 'full',
      message: `There are already ${result.full.length} open priorities: finish one first. Open now: ${openList(result.full)}. Nothing was saved.`,
    };
  const record = result.added;
  const [standing] = await standingsFor(deps, [record]);
  const open = (await deps.store.priorities(now)).filter((each) => !each.doneAt).length;
  const recommendation = recommendationWords(open);
  return {
    ok: true,
    standing: standing!,
    open,
    message:
      `Priority #${record.number} “${record.title}” is set. Its baseline is ${perWeek(standing!.baseline)} complaints a week (the ${priorityRule.baselineWeeks} weeks before it started); ` +
      `it is done once complaints stay below that for ${record.quietWeeks} weeks. To make room, the company stops: ${record.stopDoing}` +
      (recommendation ? ` ${recommendation}` : ''),
  };
}

const standingsFor = (deps: PriorityDeps, records: PriorityRecord[]) =>
  standingsForRecords(deps.store, records, weekContaining(deps.clock(), deps.timeZone), deps.timeZone);

async function standingsForRecords(
  store: Pick<PriorityStore, 'weeklyComplaints'>,
  records: PriorityRecord[],
  currentWeek: WeekStart,
  timeZone: string,
): Promise<PriorityStanding[]> {
  const counts = await store.weeklyComplaints(
    records.map((record) => record.id),
    addDays(currentWeek, 7),
    timeZone,
  );
  return records.map((record) => standingOf(record, counts.get(record.id) ?? [], currentWeek));
}

export type PriorityDone =
  | { ok: true; standing: PriorityStanding; fall: PriorityFall; reporters: number; channels: number; message: string }
  | Refusal<'notAllowed' | 'unknown' | 'alreadyDone' | 'notYet'>;

export async function markPriorityDone(deps: PriorityDeps, by: Person, number: number): Promise<PriorityDone> {
  const permission = await deps.people.may(by, 'managePriorities');
  if (!permission.allowed) return notAllowed(permission);
  const record = await deps.store.priorityByNumber(number);
  if (!record)
    return {
      ok: false,
      code: 'unknown',
      message: `There is no priority #${number}. ${commandFor(by.platform, 'priorities')} lists them.`,
    };
  if (record.doneAt)
    return {
      ok: false,
      code: 'alreadyDone',
      message: `Priority #${number} was already marked done on ${record.doneAt.toISOString().slice(0, 10)}.`,
    };
  const [standing] = await standingsFor(deps, [record]);
  if (!standing!.ready)
    return {
      ok: false,
      code: 'notYet',
      message: `Priority #${number} “${record.title}” is not done yet: ${notYetWords(standing!)}. Nothing was changed.`,
    };
  const fall = fallOf(standing!, deps.locale);
  const result = await deps.store.markDone(record.id, by, deps.clock(), deps.timeZone, (reporters, channels) =>
    priorityDoneNotices(record, standing!, fall, reporters, channels),
  );
  if (result === 'alreadyDone')
    return {
      ok: false,
      code: 'alreadyDone',
      message: `Priority #${number} was marked done by someone else a moment ago.`,
    };
  const where = result.channels
    ? `I am announcing it in ${result.channels} ${result.channels === 1 ? 'channel' : 'channels'}`
    : `No channel is set for announcements yet (${commandFor(by.platform, 'issues announce-here')})`;
  return {
    ok: true,
    standing: { ...standing!, done: true },
    fall,
    reporters: result.reporters,
    channels: result.channels,
    message: `Priority #${number} is done: ${fallWords(record.title, fall)} ${where}, and thanking ${result.reporters} ${result.reporters === 1 ? 'person' : 'people'} who reported it.`,
  };
}

export type QuietWeeksSet = { ok: true; message: string } | Refusal<'notAllowed' | 'unknown' | 'invalid'>;

export async function setQuietWeeks(
  deps: PriorityDeps,
  by: Person,
  number: number,
  weeks: number,
): Promise<QuietWeeksSet> {
  const permission = await deps.people.may(by, 'setPriorityRule');
  if (!permission.allowed) return notAllowed(permission);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > priorityRule.maxQuietWeeks)
    return {
      ok: false,
      code: 'invalid',
      message: `Choose 1 to ${priorityRule.maxQuietWeeks} weeks. Nothing was changed.`,
    };
  const record = await deps.store.priorityByNumber(number);
  if (!record || record.doneAt)
    return {
      ok: false,
      code: 'unknown',
      message: `There is no open priority #${number}. ${commandFor(by.platform, 'priorities')} lists them.`,
    };
  await deps.store.setQuietWeeks(record.id, weeks);
  return {
    ok: true,
    message: `Priority #${number} “${record.title}” is done once its complaints stay below the baseline for ${weeks} ${weeks === 1 ? 'week' : 'weeks'}.`,
  };
}

export interface PriorityList {
  ok: true;
  standings: PriorityStanding[];
  open: number;
  /** Said when fewer than the book recommends are open. */
  recommendation: string | null;
}

export async function listPriorities(deps: PriorityDeps): Promise<PriorityList> {
  const standings = await priorityStandings(deps.store, deps.clock(), deps.timeZone);
  const open = standings.filter((standing) => !standing.done).length;
  return { ok: true, standings, open, recommendation: recommendationWords(open) };
}

export type PriorityForm =
  | { ok: true; choices: PriorityChoices; prefill: { stageIds: string[]; momentIds: string[]; title: string } }
  | Refusal<'notAllowed' | 'full'>;

/** What the add form offers, refusing before it opens when the person may not add or ten are open. */
export async function priorityForm(deps: PriorityDeps, by: Person, warningId?: string): Promise<PriorityForm> {
  const permission = await deps.people.may(by, 'managePriorities');
  if (!permission.allowed) return notAllowed(permission);
  const open = (await deps.store.priorities(deps.clock())).filter((record) => !record.doneAt);
  if (open.length >= priorityRule.most)
    return {
      ok: false,
      code: 'full',
      message: `There are already ${open.length} open priorities: finish one first. Open now: ${openList(open)}.`,
    };
  const [choices, scope] = await Promise.all([
    deps.store.choices(),
    warningId ? deps.store.warningScope(warningId) : Promise.resolve(null),
  ]);
  return {
    ok: true,
    choices,
    prefill: {
      stageIds: scope && !scope.momentId ? [scope.stageId] : [],
      momentIds: scope?.momentId ? [scope.momentId] : [],
      title: scope?.title ?? '',
    },
  };
}
