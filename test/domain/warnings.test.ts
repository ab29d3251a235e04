// The early warning rules with real numbers: the Poisson tail against values computed
// independently (log-gamma sums), the spike rule on quiet and busy stages, one warning per
// episode below standard, and the per-channel limits that keep a bad morning to one screen.
import { describe, expect, it } from 'vitest';
import type { Moment } from '../../src/domain/moments.js';
import { poissonUpperTail } from '../../src/domain/poisson.js';
import {
  headline,
  judgeSpike,
  momentChanges,
  warningNotices,
  whySpike,
  type RaisedWarning,
  type WarningStory,
} from '../../src/domain/warnings.js';

describe('poissonUpperTail', () => {
  it.each([
    [5, 1, 0.00365984682734371],
    [2, 0.5, 0.09020401043104995],
    [70, 50, 0.0043345998528667926],
    [28, 20, 0.05248071322826642],
    [20, 10, 0.0034543419758568308],
    [5, 0.5, 0.00017211562995584053],
    [1100, 1000, 0.0009626304058662804],
  ])('P(X ≥ %i | λ = %d) is %d', (k, lambda, expected) => {
    expect(poissonUpperTail(k, lambda)).toBeCloseTo(expected, 12);
  });

  it('is 1 for at least none, 0 when nothing is expected, and stays exact where e^-λ underflows', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 0)).toBe(0);
    // λ = 5000: e^-5000 is 0 in doubles; the tail at the mean is just over a half.
    expect(poissonUpperTail(5000, 5000)).toBeGreaterThan(0.5);
    expect(poissonUpperTail(5000, 5000)).toBeLessThan(0.51);
    expect(poissonUpperTail(5300, 5000)).toBeLessThan(1e-4);
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => poissonUpperTail(2.5, 1)).toThrow(RangeError);
    expect(() => poissonUpperTail(3, -1)).toThrow(RangeError);
  });
});

describe('judgeSpike (at least 5 complaints and p < 0.01 against the 8 weeks before)', () => {
  const weeks = (perWeek: number) => Array.from({ length: 8 }, () => perWeek);

  it('does not call a quiet stage going from 0 to 1 complaint a spike', () => {
    expect(judgeSpike(1, weeks(0))).toMatchObject({ spike: false, count: 1, weeklyBaseline: 0 });
  });

  it('does not fire below 5 complaints, however rare the count', () => {
    // 4 against a baseline of 0.5 a week is p ≈ 0.0018, but 4 complaints are too few to act on.
    const verdict = judgeSpike(4, weeks(0));
    expect(verdict.pValue).toBeLessThan(0.01);
    expect(verdict.spike).toBe(false);
  });

  it('calls a busy stage going from 50 to 70 a week (up 40%) a spike', () => {
    expect(judgeSpike(70, weeks(50))).toMatchObject({ spike: true, weeklyBaseline: 50 });
    expect(judgeSpike(70, weeks(50)).pValue).toBeCloseTo(0.00433, 5);
  });

  it('does not call 20 to 28 a spike: up 40% too, but that often happens by chance at that volume', () => {
    expect(judgeSpike(28, weeks(20))).toMatchObject({ spike: false });
  });

  it('averages over all 8 weeks, quiet ones included', () => {
    // 16 complaints in 8 weeks is 2 a week; 9 this week is p ≈ 0.00024.
    const verdict = judgeSpike(9, [16, 0, 0, 0, 0, 0, 0, 0]);
    expect(verdict.weeklyBaseline).toBe(2);
    expect(verdict.spike).toBe(true);
  });

  it('explains itself in plain words', () => {
    const verdict = judgeSpike(70, weeks(50));
    const why = whySpike({
      counts: {
        stageId: 's',
        stageName: 'Start',
        categoryId: 'c',
        categoryName: 'Delivery',
        thisWeek: 70,
        previousWeeks: weeks(50),
      },
      verdict,
    });
    expect(why).toBe(
      '70 complaints about Delivery at Start this week so far, against 50 a week over the previous 8 weeks. If nothing had changed, 70 or more in a week would happen about 1 week in 231.',
    );
  });
});

const moment: Moment = {
  id: 'm1',
  name: 'Order delivered on time',
  stageId: 's1',
  stageName: 'Start',
  metric: 'Orders delivered on the promised day',
  unit: '%',
  better: 'higher',
  standard: 95,
  owner: { kind: 'person', platform: 'slack', id: 'UOPS', name: 'Dana' },
};
const at = new Date('2026-11-30T10:00:00Z');

describe('momentChanges', () => {
  it('warns when the latest reading breaks the standard and none is standing', () => {
    expect(momentChanges([{ moment, latest: { value: 91, at }, belowSince: null }])).toEqual([
      { kind: 'belowStandard', moment, latest: { value: 91, at }, since: at },
    ]);
  });

  it('says nothing more while it stays below, and announces the recovery once it meets the standard', () => {
    const since = new Date('2026-11-28T10:00:00Z');
    expect(momentChanges([{ moment, latest: { value: 90, at }, belowSince: since }])).toEqual([]);
    expect(momentChanges([{ moment, latest: { value: 95, at }, belowSince: since }])).toEqual([
      { kind: 'recovered', moment, latest: { value: 95, at }, since },
    ]);
  });

  it('reads "lower is better" the other way round', () => {
    const waiting = { ...moment, better: 'lower' as const, standard: 60, unit: 'seconds' };
    expect(momentChanges([{ moment: waiting, latest: { value: 61, at }, belowSince: null }])).toHaveLength(1);
    expect(momentChanges([{ moment: waiting, latest: { value: 60, at }, belowSince: null }])).toEqual([]);
  });

  it('ignores a moment with no readings', () => {
    expect(momentChanges([{ moment, latest: null, belowSince: null }])).toEqual([]);
  });
});

describe('warningNotices', () => {
  const story = (index: number): WarningStory => ({
    kind: 'complaintSpike',
    weekStart: '2026-11-30',
    stageName: `Stage ${index}`,
    categoryName: null,
    why: 'why',
    moment: null,
    complaints: { thisWeek: 12, weeklyBaseline: 3, pValue: 0.0001, verbatims: [] },
    lost: { customers: 0, value: 0, examples: [] },
    owners: [],
  });
  const raised = Array.from({ length: 7 }, (_, index) => ({
    id: `w${index}`,
    warning: { key: `k${index}`, story: story(index) } as RaisedWarning,
  }));

  it('posts up to 5 one by one per check and sums up the rest in one message', () => {
    const notices = warningNotices(raised, [{ platform: 'slack', channelId: 'CLEAD', warningsToday: 0 }]);
    expect(notices.map((notice) => notice.content.kind)).toEqual([
      'earlyWarning',
      'earlyWarning',
      'earlyWarning',
      'earlyWarning',
      'earlyWarningSummary',
    ]);
    expect(notices[4]!.content).toEqual({
      kind: 'earlyWarningSummary',
      headlines: [4, 5, 6].map((index) => headline(story(index))),
    });
  });

  it('counts what the channel already heard today against 10 a day', () => {
    const notices = warningNotices(raised.slice(0, 3), [
      { platform: 'teams', channelId: '19:leaders', warningsToday: 8 },
    ]);
    expect(notices.map((notice) => notice.content.kind)).toEqual(['earlyWarning', 'earlyWarningSummary']);
  });

  it('keys each notice by warning and channel, so queueing it again owes nothing new', () => {
    const notices = warningNotices(raised.slice(0, 1), [
      { platform: 'slack', channelId: 'C1', warningsToday: 0 },
      { platform: 'teams', channelId: '19:x', warningsToday: 0 },
    ]);
    expect(notices.map((notice) => notice.key)).toEqual(['warning:w0:slack:C1', 'warning:w0:teams:19:x']);
  });
});
