import { periodOf } from '../../src/domain/periods.js';
// Priorities as Teams cards and Slack messages: every card valid Adaptive Card 1.5 by
// Microsoft's parser, and words people typed (titles, what stops, stage names, owner names)
// never becoming a link, a mention or formatting on either platform.
import { describe, expect, it } from 'vitest';
import type { CustomerRoomAgenda } from '../../src/domain/customerRoomAgenda.js';
import type { PriorityList, PriorityStanding } from '../../src/domain/priorities.js';
import type { PriorityNoticeContent } from '../../src/domain/priorityNotices.js';
import { customerRoomToCard, customerRoomToSlack } from '../../src/render/customerRoom.js';
import { priorityFormCard, priorityListCard, priorityNoticeToCard } from '../../src/render/priorityCard.js';
import { priorityListMessage, priorityNoticeToSlack } from '../../src/render/prioritySlack.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';

const hostile = '<!channel> [bank](https://evil.example) <at>Everyone</at> *bold*';

const standing: PriorityStanding = {
  number: 3,
  title: `Double charges ${hostile}`,
  owner: { platform: 'teams', userId: 'aad-1', name: `Dana ${hostile}` },
  stopDoing: `the loyalty redesign ${hostile}`,
  about: [`stage Pay ${hostile}`],
  startedOn: '2026-09-07',
  quietWeeks: 4,
  baseline: 8,
  weeks: [9, 7, 12].map((complaints, index) => ({
    weekStart: `2026-09-${String(7 + 7 * index).padStart(2, '0')}`,
    complaints,
  })),
  thisWeekSoFar: 2,
  weeksBelow: 0,
  ready: false,
  done: false,
  doneAt: null,
};
const list: PriorityList = {
  ok: true,
  standings: [standing, { ...standing, number: 4, done: true, doneAt: '2026-10-01T00:00:00.000Z' }],
  open: 1,
  recommendation: '1 open priority: the book recommends 5 to 10 at a time.',
};
const fall = { before: 32, after: 4, since: 'September 2026' };
const notices: PriorityNoticeContent[] = [
  {
    kind: 'priorityDone',
    priorityNumber: 3,
    title: standing.title,
    owner: standing.owner,
    about: standing.about,
    fall,
    reporters: 2,
  },
  { kind: 'priorityThanks', priorityNumber: 3, title: standing.title, fall, feedbackNumbers: [4, 9] },
];
const agenda: CustomerRoomAgenda = {
  period: periodOf('week', '2026-11-23'),
  title: 'week of 23–29 Nov 2026',
  words: { current: 'this week', previous: 'last week' },
  format: { locale: 'en-GB', currency: 'EUR' },
  growth: {
    question: 'Did we earn the right to customer growth?',
    answer: 'Yes.',
    total: {
      segment: null,
      current: movement(),
      compared: [movement(), movement()],
      life: { lapsed: 0, movedUpTier: 0, movedDownTier: 0, projectedValue: 0, customersWithProjection: 0 },
      topLostReasons: [{ reason: `Price ${hostile}`, customers: 2, value: 3000 }],
    },
  },
  journey: {
    stages: [{ stageName: `Pay ${hostile}`, reports: 4, previous: 2, issues: [], moreIssues: 0 }],
    warnings: { belowStandard: [], spikes: [], recovered: [] },
  },
  departures: { reasons: [], calls: [] },
  priorities: [standing],
};

function movement() {
  const tally = { customers: 1, value: 100 };
  return {
    won: tally,
    reactivated: tally,
    lost: tally,
    expanded: tally,
    contracted: tally,
    referrals: tally,
    netCustomers: 1,
    netValue: 100,
  };
}

describe('priority cards', () => {
  it('are valid Adaptive Card 1.5, and people’s words never become links or mentions', () => {
    const cards = [
      priorityListCard(list),
      priorityFormCard(
        {
          issues: [{ id: 'i1', number: 7, title: hostile, stageName: 'Pay' }],
          stages: [{ id: 's1', name: hostile }],
          moments: [],
        },
        { stageIds: ['s1'], momentIds: [], title: 'Fewer complaints at Pay' },
      ),
      ...notices.map((content) => priorityNoticeToCard(content).card),
      customerRoomToCard(agenda),
    ];
    for (const card of cards) {
      expect(adaptiveCardProblems(card)).toEqual([]);
      const json = JSON.stringify(card);
      expect(json).not.toContain('[bank](');
      expect(json).not.toContain('<at>');
    }
  });

  it('Slack messages escape the same words, and tag a Slack owner by id only', () => {
    const messages = [
      priorityListMessage(list),
      ...notices.map(priorityNoticeToSlack),
      priorityNoticeToSlack({
        ...notices[0]!,
        owner: { platform: 'slack', userId: 'U0OWNER', name: 'Dana' },
      } as PriorityNoticeContent),
      customerRoomToSlack(agenda),
    ];
    for (const message of messages) {
      const json = JSON.stringify(message);
      expect(json).not.toContain('<!channel>');
      expect(json).toContain('&lt;!channel&gt;');
    }
    expect(JSON.stringify(messages[3])).toContain('Owned by <@U0OWNER>');
  });
});
