import { periodOf } from '../../src/domain/periods.js';
// A customer room with something in every part, for render tests: no database needed.
import { buildCustomerAssetReport } from '../../src/domain/assets.js';
import { issuesByStage, type CustomerRoom } from '../../src/domain/customerRoom.js';
import type { IssueSummary } from '../../src/domain/issues.js';
import { sampleHistory } from './sampleHistory.js';

const issue = (number: number, title: string, stageName: string, feedbackCount: number): IssueSummary => ({
  id: `issue-${number}`,
  number,
  title,
  status: 'open',
  stageName,
  categoryName: 'Billing',
  feedbackCount,
  sources: ['call_centre'],
  mergedIntoNumber: null,
  lastResolution: null,
});

export function sampleRoom(): CustomerRoom {
  const report = buildCustomerAssetReport(
    periodOf('week', '2026-11-16'),
    [
      { segment: null, kind: 'won', periodIndex: 0, customers: 12, value: 14_400 },
      { segment: null, kind: 'lost', periodIndex: 0, customers: 7, value: 21_000 },
      { segment: null, kind: 'won', periodIndex: 1, customers: 9, value: 10_800 },
    ],
    [],
  );
  return {
    period: periodOf('week', '2026-11-16'),
    title: 'week of 16–22 Nov 2026',
    format: { locale: 'en-US', currency: 'USD' },
    question: 'Did we earn the right to customer growth?',
    answer: 'Partly: we gained 5 customers more than we lost, but customer value fell by $6,600.',
    asset: report.total,
    history: sampleHistory(),
    warnings: {
      belowStandard: [
        {
          moment: 'First order delivered on time',
          stageName: 'Start',
          latest: '91%',
          standard: '95%',
          since: '2026-11-18',
          days: 4,
        },
      ],
      spikes: [],
      recovered: [],
    },
    priorities: [
      {
        number: 1,
        title: 'Answer every call within a minute',
        stageName: 'Get help',
        status: 'complaints down 2 weeks running',
        done: false,
      },
      {
        number: 2,
        title: 'Invoices right the first time',
        stageName: 'Use',
        status: 'done: complaints stayed down 6 weeks',
        done: true,
      },
    ],
    stages: issuesByStage([
      issue(7, 'Charged twice on the invoice <!channel>', 'Use', 14),
      issue(9, 'Refund takes three weeks', 'Use', 6),
      issue(3, 'Nobody called back about the outage', 'Get help', 9),
    ]),
    openCalls: [
      {
        callId: 'call-1',
        customerName: 'Acme Ltd',
        segment: 'Enterprise',
        valueLost: 40_000,
        lostAt: '2026-11-18T10:00:00Z',
        contact: '+44 20 7946 0004',
        status: 'open',
        reason: null,
        campaignNumber: 1,
        campaignName: 'Win back November',
        dueOn: '2026-12-04',
      },
    ],
  };
}
