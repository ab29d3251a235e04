import { describe, expect, it } from 'vitest';
import type { Person } from '../../src/domain/people.js';
import type { StateOfTheCustomerStore } from '../../src/domain/stateOfTheCustomer.js';
import { createStateOfTheCustomerService } from '../../src/services/stateOfTheCustomerService.js';
import { peopleWith } from './fakes.js';

const cco: Person = { platform: 'slack', userId: 'UCCO' };
const empty: StateOfTheCustomerStore = {
  assetAggregates: async () => [],
  lossReasons: async () => [],
  resolvedIssues: async () => [],
  openIssues: async () => [],
  issueComplaints: async () => [],
};

function service(now: string) {
  const made: string[] = [];
  const charted: string[] = [];
  const created = createStateOfTheCustomerService({
    store: empty,
    movements: {
      periodMovementAggregates: async (kind, from, until) => {
        charted.push(`${kind} ${from} ${until}`);
        return [];
      },
    },
    people: peopleWith([[cco, 'cco']]),
    priorities: async () => [],
    settings: { timeZone: 'Europe/Paris', locale: 'en-US', currency: 'EUR' },
    clock: () => new Date(now),
    log: () => {},
  });
  created.useStateOfTheCustomerLinks({
    links: (period) => {
      made.push(period.name);
      return { page: `https://x/p?period=${period.name}`, pdf: `https://x/d?period=${period.name}`, onPublicUrl: true };
    },
  });
  return { ...created, made, charted };
}

describe('which period /state-of-the-customer reports', () => {
  it('reads no words as the last complete year, and `quarter` as the last complete quarter', async () => {
    const soc = service('2026-12-02T09:00:00Z');
    const year = await soc.stateOfTheCustomer(cco, '', 'onlyThem');
    expect(year.ok && year.report.period.name).toBe('2025');
    const quarter = await soc.stateOfTheCustomer(cco, 'quarter', 'onlyThem');
    expect(quarter.ok && quarter.report.period.name).toBe('2026-Q3');
    expect(soc.made).toEqual(['2025', '2026-Q3']);
  });

  it('calls a period that has not ended “so far”, and refuses one that has not started or a week', async () => {
    const soc = service('2026-12-02T09:00:00Z');
    const current = await soc.stateOfTheCustomer(cco, '2026', 'onlyThem');
    expect(current.ok && current.report.periodLabel).toBe('2026 so far');
    const future = await soc.stateOfTheCustomer(cco, '2027-Q1', 'onlyThem');
    expect(future).toMatchObject({ ok: false, code: 'notStarted' });
    expect(!future.ok && future.message).toContain('Nothing was posted.');
    const week = await soc.stateOfTheCustomer(cco, '2026-11-23', 'onlyThem');
    expect(week).toMatchObject({ ok: false, code: 'notAPeriod' });
  });

  it('makes no link when everyone in the conversation would see it', async () => {
    const soc = service('2026-12-02T09:00:00Z');
    const answer = await soc.stateOfTheCustomer(cco, '2026-Q3', 'conversation');
    expect(answer.ok && answer.links).toBeUndefined();
    expect(soc.made).toEqual([]);
  });

  it('refuses staff and makes nothing', async () => {
    const soc = service('2026-12-02T09:00:00Z');
    const answer = await soc.stateOfTheCustomer({ platform: 'slack', userId: 'USTAFF' }, '2026', 'onlyThem');
    expect(answer).toMatchObject({ ok: false, code: 'notAllowed' });
    expect(soc.made).toEqual([]);
  });
});

describe('the picture in the full report', () => {
  it('charts the 13 months up to the report’s last month, and stops at this month while the period runs', async () => {
    const soc = service('2026-12-02T09:00:00Z');
    await soc.stateOfTheCustomerChart(soc.stateOfTheCustomerPeriod('2026-Q3')!);
    await soc.stateOfTheCustomerChart(soc.stateOfTheCustomerPeriod('2026')!);
    expect(soc.charted).toEqual(['month 2025-09-01 2026-10-01', 'month 2025-12-01 2027-01-01']);
    const running = service('2026-05-20T09:00:00Z');
    await running.stateOfTheCustomerChart(running.stateOfTheCustomerPeriod('2026')!);
    expect(running.charted).toEqual(['month 2025-05-01 2026-06-01']);
  });
});
