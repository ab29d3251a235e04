import { describe, expect, it } from 'vitest';
import { periodOf } from '../../src/domain/periods.js';
import {
  composeStateOfTheCustomer,
  improvements,
  type IssueComplaints,
  type ResolvedIssueFigures,
  type StateOfTheCustomerStore,
} from '../../src/domain/stateOfTheCustomer.js';

const resolved = (overrides: Partial<ResolvedIssueFigures>): ResolvedIssueFigures => ({
  number: 1,
  title: 'Charged twice',
  stage: 'Renew',
  whatChanged: 'Billing runs once',
  resolvedAt: new Date('2026-08-15T00:00:00Z'),
  complaintsBefore: 12,
  complaintsAfter: 1,
  daysAfter: 56,
  stillResolved: true,
  ...overrides,
});

const complaints = (number: number, marketArea: string | null, now: number, before = 0): IssueComplaints => ({
  number,
  title: `Issue ${number}`,
  stage: 'Use',
  marketArea,
  complaints: now,
  complaintsBefore: before,
  reports: now,
});

function storeWith(rows: Partial<Record<keyof StateOfTheCustomerStore, unknown[]>>): StateOfTheCustomerStore {
  return {
    assetAggregates: async () => (rows.assetAggregates ?? []) as never,
    lossReasons: async () => (rows.lossReasons ?? []) as never,
    resolvedIssues: async () => (rows.resolvedIssues ?? []) as never,
    openIssues: async () => (rows.openIssues ?? []) as never,
    issueComplaints: async () => (rows.issueComplaints ?? []) as never,
  };
}

const settings = { timeZone: 'UTC', locale: 'en-US', currency: 'EUR' };

describe('what improved', () => {
  it('keeps a fix whose complaints stayed down, and leaves out one that reopened, rose, or is too recent to tell', () => {
    const shown = improvements([
      resolved({ number: 1 }),
      resolved({ number: 2, stillResolved: false }),
      resolved({ number: 3, complaintsAfter: 30 }),
      resolved({ number: 4, daysAfter: 3, complaintsAfter: 0 }),
      resolved({ number: 5, complaintsBefore: 0, complaintsAfter: 0 }),
    ]);
    expect(shown.map((issue) => issue.number)).toEqual([1]);
  });
});

describe('composeStateOfTheCustomer', () => {
  it('ranks five problems per market area, finds the biggest fall, and counts an open issue’s reports', async () => {
    const rows = [
      ...[1, 2, 3, 4, 5, 6].map((number) => complaints(number, 'EMEA', 10 - number)),
      complaints(7, 'Enterprise', 2),
      complaints(1, null, 9, 10),
      complaints(2, null, 8, 30),
      complaints(7, null, 2, 1),
    ];
    const report = await composeStateOfTheCustomer(
      storeWith({
        issueComplaints: rows,
        openIssues: [{ number: 2, title: 'Issue 2', stage: 'Use', openedAt: new Date('2026-01-01T00:00:00Z') }],
      }),
      periodOf('quarter', '2026-07-01'),
      settings,
      [],
    );
    expect(report.topProblemsByArea.map((area) => area.marketArea)).toEqual(['EMEA', 'Enterprise']);
    expect(report.topProblemsByArea[0]!.problems.map((problem) => problem.number)).toEqual([1, 2, 3, 4, 5]);
    expect(report.biggestSuccess).toMatchObject({ number: 2, from: 30, to: 8 });
    expect(report.mostReported).toMatchObject([{ number: 2, reports: 8 }]);
    expect(report.previousLabel).toMatch(/^Q2 2026 \(Apr.+Jun\)$/);
    expect(report.priorities).toEqual([]);
  });

  it('has no biggest success when no complaints fell', async () => {
    const report = await composeStateOfTheCustomer(
      storeWith({ issueComplaints: [complaints(1, null, 5, 5)] }),
      periodOf('year', '2025-01-01'),
      settings,
      [],
    );
    expect(report.biggestSuccess).toBeUndefined();
  });
});
