// The priority rule on its own: the baseline is the weekly average of the 8 weeks before the
// week it started, a week is quiet below it, done needs the CCO's number of quiet weeks in a
// row, an eleventh is refused, and the figures people read say exactly that.
import { describe, expect, it } from 'vitest';
import { People, type Person } from '../../src/domain/people.js';
import {
  addPriority,
  fallOf,
  isQuietWeek,
  markPriorityDone,
  notYetWords,
  priorityStandings,
  standingOf,
  type PriorityDraft,
  type PriorityRecord,
  type PriorityStore,
  type WeeklyComplaints,
} from '../../src/domain/priorities.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const staff: Person = { platform: 'slack', userId: 'USTAFF' };
const people = new People(
  {
    storedRole: async () => null,
    setRole: async () => {},
    hasAnyCco: async () => true,
    claimFirstCco: async () => ({ claimed: true }),
  },
  { slack: [cco.userId], teams: [] },
);
const stage = '00000000-0000-4000-8000-000000000001';

function record(overrides: Partial<PriorityRecord> = {}): PriorityRecord {
  return {
    id: 'p1',
    number: 1,
    title: 'Double charges',
    owner: { platform: 'slack', userId: 'UOWNER', name: 'Dana' },
    stopDoing: 'the loyalty-points redesign',
    issues: [],
    stages: [{ id: stage, name: 'Pay' }],
    moments: [],
    quietWeeks: 4,
    // A Monday: week 0 is 2026-09-07.
    startedOn: '2026-09-07',
    doneAt: null,
    ...overrides,
  };
}

/** Eight baseline weeks of 8 (average 8), then the given weeks since it started. */
const counts = (since: number[]): WeeklyComplaints => [
  ...Array.from({ length: 8 }, (_, index) => ({ week: -8 + index, complaints: 8 })),
  ...since.map((complaints, week) => ({ week, complaints })),
];

function memoryStore(
  records: PriorityRecord[],
  complaints: WeeklyComplaints,
): PriorityStore & { added: PriorityDraft[] } {
  const added: PriorityDraft[] = [];
  return {
    added,
    priorities: async () => records,
    priorityByNumber: async (number) => records.find((each) => each.number === number) ?? null,
    weeklyComplaints: async (ids) => new Map(ids.map((id) => [id, complaints])),
    add: async (draft, most) => {
      const open = records.filter((each) => !each.doneAt);
      if (open.length >= most) return { full: open };
      added.push(draft);
      const created = record({
        id: `p${records.length + 1}`,
        number: records.length + 1,
        title: draft.title,
        startedOn: draft.startedOn,
      });
      records.push(created);
      return { added: created };
    },
    setQuietWeeks: async () => {},
    markDone: async () => ({ reporters: 2, channels: 1 }),
    choices: async () => ({ issues: [], stages: [], moments: [] }),
    warningScope: async () => null,
  };
}

const deps = (store: PriorityStore, now: string) => ({
  store,
  people,
  clock: () => new Date(now),
  timeZone: 'UTC',
  locale: 'en-GB',
});

describe('where a priority stands', () => {
  it('averages the 8 weeks before it started and counts the quiet weeks in a row at the end', () => {
    // Six complete weeks (the week of 2026-10-19 is in progress).
    const standing = standingOf(record(), counts([9, 7, 12, 5, 3, 6, 2]), '2026-10-19');
    expect(standing.baseline).toBe(8);
    expect(standing.weeks.map((week) => week.complaints)).toEqual([9, 7, 12, 5, 3, 6]);
    expect(standing.weeks[0]!.weekStart).toBe('2026-09-07');
    expect(standing.thisWeekSoFar).toBe(2);
    expect(standing.weeksBelow).toBe(3);
    expect(standing.ready).toBe(false);
  });

  it('is ready after the quiet weeks the CCO set, and a week equal to the baseline is not quiet', () => {
    expect(standingOf(record(), counts([9, 5, 3, 6, 7]), '2026-10-12').ready).toBe(true);
    expect(standingOf(record(), counts([9, 5, 3, 8, 7]), '2026-10-12').weeksBelow).toBe(1);
    expect(standingOf(record({ quietWeeks: 6 }), counts([9, 5, 3, 6, 7]), '2026-10-12').ready).toBe(false);
  });

  it('calls a week with no complaints quiet even when there were none before', () => {
    expect(isQuietWeek(0, 0)).toBe(true);
    expect(isQuietWeek(1, 0)).toBe(false);
    expect(isQuietWeek(7, 7.5)).toBe(true);
  });

  it('tells the figures when it is not done yet', () => {
    const standing = standingOf(record(), counts([9, 7, 12]), '2026-09-28');
    expect(notYetWords(standing)).toBe(
      'complaints were 9, 7, 12 a week against a baseline of 8; done needs 4 weeks below 8',
    );
  });

  it('announces four weeks at the baseline rate against the last four', () => {
    const standing = standingOf(record(), counts([9, 2, 1, 0, 1]), '2026-10-12');
    expect(fallOf(standing)).toEqual({ before: 32, after: 4, since: 'September 2026' });
  });

  it('lists open priorities first, with the week in progress as "so far"', async () => {
    const store = memoryStore(
      [record({ number: 2, id: 'p2', doneAt: new Date('2026-10-01T00:00:00Z') }), record()],
      counts([9, 7]),
    );
    const standings = await priorityStandings(store, new Date('2026-09-16T12:00:00Z'), 'UTC');
    expect(standings.map((standing) => [standing.number, standing.done])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(standings[0]!.weeks.map((week) => week.complaints)).toEqual([9]);
    expect(standings[0]!.thisWeekSoFar).toBe(7);
  });
});

describe('adding and finishing priorities', () => {
  const input = {
    title: 'Stop double charges',
    owner: { platform: 'slack', userId: 'UOWNER', name: 'Dana' },
    stageIds: [stage],
    stopDoing: 'the loyalty-points redesign, until this is done',
  };

  it('refuses an eleventh, naming the open ones', async () => {
    const ten = Array.from({ length: 10 }, (_, index) =>
      record({ id: `p${index + 1}`, number: index + 1, title: `P${index + 1}` }),
    );
    const store = memoryStore(ten, counts([]));
    const result = await addPriority(deps(store, '2026-10-14T10:00:00Z'), cco, input);
    expect(result).toMatchObject({ ok: false, code: 'full' });
    expect(result.message).toMatch(/^There are already 10 open priorities: finish one first\. Open now: #1 P1; #2 P2;/);
    expect(result.message).toMatch(/Nothing was saved\.$/);
    expect(store.added).toEqual([]);
  });

  it('needs what the company stops doing, and something to measure it by', async () => {
    const store = memoryStore([], counts([]));
    expect(await addPriority(deps(store, '2026-10-14T10:00:00Z'), cco, { ...input, stopDoing: '' })).toMatchObject({
      ok: false,
      field: 'stopDoing',
    });
    expect(await addPriority(deps(store, '2026-10-14T10:00:00Z'), cco, { ...input, stageIds: [] })).toMatchObject({
      ok: false,
      field: 'about',
    });
    expect(
      await addPriority(deps(store, '2026-10-14T10:00:00Z'), cco, { ...input, startedOn: '2026-10-15' }),
    ).toMatchObject({ ok: false, field: 'startedOn' });
    expect(await addPriority(deps(store, '2026-10-14T10:00:00Z'), staff, input)).toMatchObject({
      ok: false,
      code: 'notAllowed',
    });
    expect(store.added).toEqual([]);
  });

  it('says the book recommends 5 to 10 when fewer are open', async () => {
    const store = memoryStore([], counts([]));
    const result = await addPriority(deps(store, '2026-10-14T10:00:00Z'), cco, input);
    expect(result).toMatchObject({ ok: true, open: 1 });
    expect(result.message).toContain('the book recommends 5 to 10 at a time');
    expect(store.added[0]).toMatchObject({ startedOn: '2026-10-14', quietWeeks: 4 });
  });

  it('refuses done while complaints are at or above the baseline, and accepts it after the quiet weeks', async () => {
    const early = memoryStore([record()], counts([9, 7, 12]));
    const refused = await markPriorityDone(deps(early, '2026-09-30T10:00:00Z'), cco, 1);
    expect(refused).toMatchObject({ ok: false, code: 'notYet' });
    expect(refused.message).toBe(
      'Priority #1 “Double charges” is not done yet: complaints were 9, 7, 12 a week against a baseline of 8; done needs 4 weeks below 8. Nothing was changed.',
    );
    const quiet = memoryStore([record()], counts([9, 7, 12, 2, 1, 0, 1]));
    const done = await markPriorityDone(deps(quiet, '2026-10-28T10:00:00Z'), cco, 1);
    expect(done).toMatchObject({ ok: true, reporters: 2, channels: 1 });
    expect(done.message).toBe(
      'Priority #1 is done: Complaints about Double charges fell from 32 to 4 in four weeks since September 2026. I am announcing it in 1 channel, and thanking 2 people who reported it.',
    );
  });
});
