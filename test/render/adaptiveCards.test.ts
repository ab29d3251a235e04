// @vitest-environment jsdom
// Every card the bot sends in Teams, read by Microsoft's Adaptive Cards parser for
// schema 1.5 and drawn by its renderer (in jsdom): any warning fails the test.
import { AdaptiveCard } from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import type { DigestStore } from '../../src/domain/digest.js';
import { templateStoryWriter } from '../../src/domain/departures.js';
import type { Person } from '../../src/domain/people.js';
import type { AdaptiveCard as CardJson } from '../../src/render/adaptiveCard.js';
import { digestToCard } from '../../src/render/digestCard.js';
import type { Services } from '../../src/services.js';
import { createDigestService } from '../../src/services/digestService.js';
import { sorryCard } from '../../src/teams/adapter.js';
import { welcomeCard } from '../../src/teams/activityHandler.js';
import { createCco } from '../../src/teams/cco.js';
import { parseCommand } from '../../src/teams/turns.js';
import { digestCommand, digestHelp } from '../../src/teams/digestCommand.js';
import { createRouter } from '../../src/teams/router.js';
import type { CallCard } from '../../src/domain/campaigns.js';
import type { Vocabulary } from '../../src/domain/classification.js';
import type { FeedbackView } from '../../src/domain/feedback.js';
import type { IssueSummary } from '../../src/domain/issues.js';
import type { NoticeContent } from '../../src/domain/notices.js';
import { callListCard, progressCard, startFormCard } from '../../src/render/campaignCard.js';
import {
  feedbackFormCard,
  feedbackLoggedCard,
  openIssuesCard,
  resolveFormCard,
} from '../../src/render/feedbackCard.js';
import { noticeToCard } from '../../src/render/noticeCard.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { cardMarkdownToHtml } from '../support/cardMarkdown.js';
import { digestWithSegments, segmentNames } from '../support/sampleDigests.js';
import { peopleWith, subscriptionsInMemory } from '../services/fakes.js';

const hostile = ['[bank](https://evil.example)', '<at>channel</at>', '**_~`#> \\'];

/** Every answer the Teams commands give, from a fake set of services where CCO may do everything and staff nothing. */
async function commandCards(): Promise<CardJson[]> {
  const cards: CardJson[] = [];
  // The real digest service on in-memory subscriptions, with a sample digest in place of composing one.
  const sample = async () => digestWithSegments(segmentNames(3));
  const digest = createDigestService({
    settings: { timeZone: 'UTC', currency: 'EUR', locale: 'en-GB', showCustomerNames: false },
    digestCron: '0 8 * * 1',
    digests: {} as DigestStore,
    deliveries: subscriptionsInMemory(),
    people: peopleWith([], { slack: [], teams: ['cco'] }),
    storyWriter: templateStoryWriter,
    worker: 'test',
    clock: () => new Date('2026-11-18T10:00:00Z'),
    log: () => {},
  });
  const services = {
    ...digest,
    previewDigest: async (periodText?: string) => {
      const preview = await digest.previewDigest(periodText, 'teams');
      return preview.ok ? { ...preview, compose: sample } : preview;
    },
    digestNow: async (by: Person, periodText?: string) => {
      const now = await digest.digestNow(by, periodText);
      return now.ok ? { ...now, compose: sample } : now;
    },
  } as unknown as Services;
  // The CCO's answers echo names and terms people typed: hostile ones go through too.
  const ccoOnly = (by: Person, message: string) =>
    by.userId === 'cco'
      ? { ok: true as const, message }
      : { ok: false as const, message: 'Only the CCO can do that. You are staff here.' };
  const ccoServices = {
    ...services,
    people: {
      grant: async (by: Person) =>
        by.userId === 'cco'
          ? { ok: true, roleWords: 'a leader' }
          : { ok: false, message: 'Only the CCO can change who is a CCO, leader or staff.' },
      claimFirstCco: async (person: Person) =>
        person.userId === 'staff'
          ? { kind: 'claimed', person }
          : { kind: 'alreadyHeld', holder: { platform: 'teams', userId: 'cco' }, claimant: person },
    },
    language: {
      listWords: async () => `The journey stages are: Discover, ${hostile.join(', ')}.`,
      replace: async (by: Person, _kind: string, names: string) => ccoOnly(by, `The journey stages are now: ${names}.`),
      rename: async (by: Person, _kind: string, from: string, to: string) =>
        ccoOnly(by, `Renamed "${from}" to "${to}". Everything filed under it keeps its history.`),
      setKeywords: async (by: Person, _kind: string, name: string, keywords: string) =>
        ccoOnly(by, `Feedback mentioning ${keywords} will be filed under "${name}".`),
    },
    customerLife: {
      answer: async (by: Person, request: { action: string; text?: string }) =>
        request.action === 'list'
          ? { ok: true, message: `Windows: ${hostile[0]}: 90 days. Every other segment: 180 days.` }
          : ccoOnly(by, `${request.text} customers now count as lapsed after 90 days without a sign of life.`),
    },
  } as unknown as Services;
  const cco = createCco(ccoServices);
  const words = 'every Monday at 08:00 (UTC)';
  const route = createRouter({ digest: digestCommand(services, words), ...cco.commands }, [
    ...digestHelp(words),
    ...cco.help,
  ]);
  const texts = [
    'help',
    '',
    'frobnicate',
    ...hostile,
    'digest',
    'digest help',
    'digest frobnicate',
    `digest ${hostile[0]}`,
  ];
  for (const action of ['preview', 'subscribe', 'subscribe', 'unsubscribe', 'unsubscribe', 'now'])
    texts.push(`digest ${action}`);
  // Periods and cadences, and the refusals of ones that are not.
  texts.push(
    'digest preview 2026-Q3',
    `digest preview ${hostile[0]}`,
    'digest subscribe monthly',
    'digest subscribe fortnightly',
    'digest unsubscribe monthly',
    'digest now year',
  );
  texts.push(
    'cco',
    'cco help',
    'cco claim',
    'cco frobnicate',
    `cco ${hostile[0]}`,
    'cco stages',
    'cco categories',
    'cco stages rename',
    `cco stages ${hostile.join(', ')}`,
  );
  texts.push(
    `cco stages rename Get help to ${hostile[0]}`,
    `cco keywords category ${hostile[1]}: ${hostile[2]}`,
    'cco keywords',
    'cco role dana leader',
    'cco lapse',
    `cco lapse ${hostile[0]} 90 days`,
    'cco tiers',
    `cco tiers ${hostile[1]} 0, Gold 10000`,
  );
  // Mentions: one Teams knows (with a hostile name), one it does not.
  const known = { text: '<at>Dana</at>', id: '29:dana', name: hostile[1]! };
  const unknown = { text: `<at>${hostile[0]}</at>`, id: '29:gone', name: hostile[0]! };
  const withMentions: Array<[string, (typeof known)[]]> = [
    [`cco role ${known.text} leader`, [known]],
    [`cco role ${unknown.text} staff`, [unknown]],
    [`cco role ${known.text} boss`, [known]],
  ];
  for (const userId of ['cco', 'staff']) {
    for (const [text, mentions] of [...texts.map((text): [string, (typeof known)[]] => [text, []]), ...withMentions]) {
      await route(parseCommand(text), {
        person: { platform: 'teams', userId },
        conversation: { id: '19:c@thread.tacv2', kind: 'channel' },
        reply: async (card) => void cards.push(card),
        update: async (_id, card) => void cards.push(card),
        lookUpMember: async (id) => (id === known.id ? { userId: 'dana-entra-id', name: hostile[1]! } : undefined),
        mentions,
      });
    }
  }
  return cards;
}

// Teams reads Markdown in TextBlocks; so does the renderer here.
AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = cardMarkdownToHtml(text);
  result.didProcess = true;
};

/** Checks the card and draws it; returns the drawing. */
function expectValid(card: CardJson): NonNullable<ReturnType<AdaptiveCard['render']>> {
  expect(adaptiveCardProblems(card)).toEqual([]);
  const parsed = new AdaptiveCard();
  parsed.parse(card);
  const element = parsed.render();
  expect(element).toBeDefined();
  expect(element!.textContent!.length).toBeGreaterThan(0);
  return element!;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const vocabulary: Vocabulary = {
  stages: ['Discover', 'Decide', hostile[0]!].map((name, index) => ({ id: uuid(index + 1), name, keywords: [] })),
  categories: ['Billing', hostile[1]!].map((name, index) => ({ id: uuid(index + 11), name, keywords: [] })),
};
const issue = (number: number, title: string): IssueSummary => ({
  id: uuid(100 + number),
  number,
  title,
  status: 'open',
  stageName: hostile[0]!,
  categoryName: hostile[1]!,
  feedbackCount: number,
  sources: ['web', 'call_centre'],
  mergedIntoNumber: null,
  lastResolution: null,
});
const feedbackView = (text: string, filed: boolean): FeedbackView => ({
  feedback: {
    id: uuid(200),
    number: 12,
    platform: 'teams',
    reporterId: 'someone',
    text,
    source: 'web',
    severity: null,
    segment: null,
    stageId: filed ? uuid(1) : null,
    categoryId: filed ? uuid(11) : null,
    sentiment: null,
    summary: null,
    classifiedBy: null,
    stageGiven: false,
    categoryGiven: false,
    issueId: filed ? uuid(101) : null,
    loggedAt: new Date('2026-11-20T10:00:00Z'),
  },
  stageName: filed ? 'Discover' : null,
  categoryName: filed ? 'Billing' : null,
  issue: filed ? issue(1, hostile.join(' ')) : null,
  notes: filed ? [] : [hostile[0]!],
});
const calls: CallCard[] = [0, 1, 2].map((index) => ({
  callId: uuid(300 + index),
  customerName: hostile[index]!,
  segment: hostile[(index + 1) % 3]!,
  valueLost: 1200 + index,
  lostAt: '2026-11-18T09:00:00.000Z',
  contact: index === 1 ? null : `+44 20 7946 000${index} ${hostile[0]}`,
  status: (['open', 'reached', 'unreachable'] as const)[index]!,
  reason: index === 1 ? hostile[1]! : null,
}));
const format = { currency: 'EUR', locale: 'en-GB', timeZone: 'UTC', showCustomerNames: true };
const notices: Array<Exclude<NoticeContent, { kind: 'campaignCalls' }>> = [
  {
    kind: 'hopeAnnouncement',
    issueNumber: 7,
    title: hostile[0]!,
    stageName: hostile[1]!,
    categoryName: hostile[2]!,
    whatChanged: hostile.join(' '),
    reports: 3,
    sources: ['web'],
  },
  {
    kind: 'hopeAnnouncement',
    issueNumber: 8,
    title: 'One',
    stageName: 'Use',
    categoryName: 'Billing',
    whatChanged: 'Fixed',
    reports: 1,
    sources: [],
  },
  { kind: 'hopeThanks', issueNumber: 7, title: hostile[1]!, whatChanged: hostile[0]!, feedbackNumbers: [3, 4] },
  {
    kind: 'issueReopened',
    issueNumber: 7,
    title: hostile[2]!,
    whatChanged: hostile[0]!,
    resolvedAt: '2026-11-20T10:00:00.000Z',
    feedbackNumber: 9,
    feedbackSummary: hostile[1]!,
  },
  {
    kind: 'campaignReminder',
    campaignId: uuid(400),
    campaignNumber: 2,
    name: hostile[0]!,
    dueOn: '2026-12-01',
    open: 1,
  },
  {
    kind: 'campaignSummary',
    campaignNumber: 2,
    name: hostile[1]!,
    reached: 3,
    unreachable: 1,
    open: 0,
    reasons: [{ reason: hostile[0]!, customers: 2, value: 900 }],
  },
  { kind: 'campaignSummary', campaignNumber: 3, name: 'Quiet', reached: 0, unreachable: 0, open: 4, reasons: [] },
];

/** The text of every TextBlock and Fact in a card, nested cards included. */
function markdownOf(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownOf);
  if (!node || typeof node !== 'object') return [];
  const element = node as Record<string, unknown>;
  const own =
    element.type === 'TextBlock'
      ? [String(element.text)]
      : element.title !== undefined && element.value !== undefined && !element.type
        ? [String(element.title), String(element.value)]
        : [];
  const checkboxes =
    element.type === 'Input.ChoiceSet' && (element.isMultiSelect || element.style === 'expanded')
      ? (element.choices as Array<{ title: string }>).map((choice) => choice.title)
      : [];
  return [
    ...own,
    ...checkboxes,
    ...Object.entries(element)
      .filter(([key]) => key !== 'choices')
      .flatMap(([, value]) => markdownOf(value)),
  ];
}

/** Every card of the listening path, notices and campaigns, with hostile words wherever people's words go. */
function parityCards(): CardJson[] {
  return [
    feedbackLoggedCard(feedbackView(hostile.join('\n'), false), vocabulary, { sorting: true }),
    feedbackLoggedCard(feedbackView(hostile.join(' '), true), vocabulary, { sorting: false }),
    feedbackLoggedCard(feedbackView('x'.repeat(5000), false), vocabulary, { sorting: false }),
    feedbackFormCard(vocabulary),
    openIssuesCard([]),
    openIssuesCard(Array.from({ length: 25 }, (_, index) => issue(index + 1, hostile[index % 3]!))),
    resolveFormCard([issue(1, hostile[0]!), issue(2, 'Two')], 2),
    ...notices.map((content) => noticeToCard(content, format).card),
    callListCard(
      { campaignNumber: 2, name: hostile[0]!, dueOn: '2026-12-01', guidance: hostile[1]!, part: 1 },
      calls,
      vocabulary,
      format,
    ).card,
    callListCard(
      { campaignNumber: 2, name: 'Empty', dueOn: '2026-12-01', guidance: '', part: 0 },
      [],
      vocabulary,
      format,
    ).card,
    progressCard(
      {
        campaign: {
          id: uuid(400),
          number: 2,
          name: hostile[0]!,
          status: 'active',
          dueOn: '2026-12-01',
          guidance: '',
          platform: 'teams',
        },
        callers: [{ callerId: hostile[1]!, done: 1, open: 2 }],
        reasons: [{ reason: hostile[2]!, customers: 1, value: 300 }],
      },
      format,
    ).card,
    progressCard(
      {
        campaign: {
          id: uuid(400),
          number: 3,
          name: 'New',
          status: 'paused',
          dueOn: '2026-12-01',
          guidance: '',
          platform: 'teams',
        },
        callers: [],
        reasons: [],
      },
      format,
    ).card,
    startFormCard(['Enterprise', 'Retail, online', hostile[0]!], '2026-11-23', ['dana@example.com']),
    startFormCard([], '2026-11-23'),
  ];
}

describe('Adaptive Cards the bot sends', () => {
  it('every feedback, issue, notice and campaign card is valid Adaptive Card 1.5, and people’s words never become links or mentions', () => {
    const cards = parityCards();
    for (const card of cards) {
      const drawn = expectValid(card);
      expect(drawn.querySelectorAll('a')).toHaveLength(0);
      // Markdown (TextBlock, Fact, checkbox labels) is where a mention or link could appear; drop-down titles and input values are plain text.
      expect(markdownOf(card).join('\n')).not.toMatch(/(^|[^\\])<at>/);
    }
    const callList = expectValid(cards.find((card) => JSON.stringify(card).includes('call_unreachable'))!);
    expect(callList.textContent).toContain('[bank](https://evil.example)');
  });

  it.each([0, 3, 40])('the digest with %i segments is valid Adaptive Card 1.5', (count) => {
    const drawn = expectValid(digestToCard(digestWithSegments(segmentNames(count))));
    expect(drawn.textContent).toContain('Did we earn the right to customer growth?');
  });

  it('the digest shows what customers wrote as words: no link, no mention, no formatting', () => {
    const drawn = expectValid(digestToCard(digestWithSegments(hostile, hostile.join(' '))));
    expect(drawn.querySelectorAll('a')).toHaveLength(0);
    expect(drawn.textContent).toContain('[bank](https://evil.example)');
    expect(drawn.textContent).toContain('<at>channel</at>');
    expect(drawn.textContent).toContain('**_~`#> \\');
    // The same words unescaped would have drawn a link: the renderer is not just ignoring Markdown.
    expect(cardMarkdownToHtml('[bank](https://evil.example)')).toContain('<a href="https://evil.example">');
  });

  it('every command answer, refusal, help, welcome and apology is valid Adaptive Card 1.5', async () => {
    const cards = [...(await commandCards()), welcomeCard(), sorryCard()];
    expect(cards.length).toBeGreaterThan(30);
    for (const card of cards) expectValid(card);
  });

  it('command answers, the CCO’s included, show people’s names and terms as words: no link, no mention', async () => {
    const cards = await commandCards();
    const texts = cards.map((card) => expectValid(card).textContent!);
    for (const card of cards) {
      expect(expectValid(card).querySelectorAll('a')).toHaveLength(0);
      expect(markdownOf(card).join('\n')).not.toMatch(/(^|[^\\])<at>/);
    }
    expect(texts).toContain(`Role changed${hostile[1]} is now a leader.`);
    expect(texts.some((text) => text.includes(`I could not find ${hostile[0]} in this conversation`))).toBe(true);
    expect(texts.some((text) => text.includes(`Renamed "Get help" to "${hostile[0]}"`))).toBe(true);
  });

  it('the checker itself catches what Teams would silently drop or refuse', () => {
    const good = digestToCard(digestWithSegments(['Retail']));
    expect(
      adaptiveCardProblems({
        ...good,
        body: [...good.body, { type: 'TextBlock', text: 'x', wrap: true, size: 'Huge' }],
      }),
    ).not.toEqual([]);
    expect(adaptiveCardProblems({ ...good, body: [...good.body, { type: 'TextBlok', text: 'x' }] })).not.toEqual([]);
    expect(
      adaptiveCardProblems({
        ...good,
        body: [...good.body, { type: 'TextBlock', text: 'x', wrap: true, colour: 'Good' }],
      }),
    ).not.toEqual([]);
    expect(adaptiveCardProblems({ ...good, version: '1.6' })).not.toEqual([]);
  });
});
