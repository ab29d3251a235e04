// @vitest-environment jsdom
// Every card the bot sends in Teams, read by Microsoft's Adaptive Cards parser for
// schema 1.5 and drawn by its renderer (in jsdom): any warning fails the test.
import { AdaptiveCard } from 'adaptivecards';
import { describe, expect, it } from 'vitest';
import type { Permission, Person } from '../../src/domain/people.js';
import type { AdaptiveCard as CardJson } from '../../src/render/adaptiveCard.js';
import { digestToCard } from '../../src/render/digestCard.js';
import type { Services } from '../../src/services.js';
import { sorryCard } from '../../src/teams/adapter.js';
import { welcomeCard } from '../../src/teams/bot.js';
import { parseCommand } from '../../src/teams/commands.js';
import { digestCommand, digestHelp } from '../../src/teams/digestCommand.js';
import { createRouter } from '../../src/teams/router.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { cardMarkdownToHtml } from '../support/cardMarkdown.js';
import { digestWithSegments, segmentNames } from '../support/sampleDigests.js';

const hostile = ['[bank](https://evil.example)', '<at>channel</at>', '**_~`#> \\'];

/** Every answer the Teams commands give, from a fake set of services where CCO may do everything and staff nothing. */
async function commandCards(): Promise<CardJson[]> {
  const cards: CardJson[] = [];
  let subscribed = false;
  const services = {
    lastWeek: () => '2026-11-16',
    digestFor: async () => digestWithSegments(segmentNames(3)),
    people: {
      may: async (person: Person): Promise<Permission> =>
        person.userId === 'cco' ? { allowed: true, role: 'cco' } : { allowed: false, role: 'staff', message: 'Only the CCO or a leader can do that. You are staff here.' },
    },
    deliveries: {
      subscribe: async () => (subscribed ? 'alreadySubscribed' : ((subscribed = true), 'subscribed')),
      unsubscribe: async () => (subscribed ? ((subscribed = false), 'unsubscribed') : 'notSubscribed'),
    },
  } as unknown as Services;
  const words = 'every Monday at 08:00 (UTC)';
  const route = createRouter({ digest: digestCommand(services, words) }, digestHelp(words));
  const texts = ['help', '', 'frobnicate', ...hostile, 'digest', 'digest help', 'digest frobnicate', `digest ${hostile[0]}`];
  for (const action of ['preview', 'subscribe', 'subscribe', 'unsubscribe', 'unsubscribe', 'now']) texts.push(`digest ${action}`);
  for (const userId of ['cco', 'staff']) {
    for (const text of texts) {
      await route(parseCommand(text), {
        person: { platform: 'teams', userId },
        conversation: { id: '19:c@thread.tacv2', kind: 'channel' },
        reply: async (card) => void cards.push(card),
        update: async (_id, card) => void cards.push(card),
        lookUpMember: async () => undefined,
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

describe('Adaptive Cards the bot sends', () => {
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

  it('the checker itself catches what Teams would silently drop or refuse', () => {
    const good = digestToCard(digestWithSegments(['Retail']));
    expect(adaptiveCardProblems({ ...good, body: [...good.body, { type: 'TextBlock', text: 'x', wrap: true, size: 'Huge' }] })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...good, body: [...good.body, { type: 'TextBlok', text: 'x' }] })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...good, body: [...good.body, { type: 'TextBlock', text: 'x', wrap: true, colour: 'Good' }] })).not.toEqual([]);
    expect(adaptiveCardProblems({ ...good, version: '1.6' })).not.toEqual([]);
  });
});
