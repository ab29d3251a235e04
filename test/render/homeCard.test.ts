import { describe, expect, it } from 'vitest';
import { customerRoomCard } from '../../src/render/homeCard.js';
import { adaptiveCardProblems } from '../support/adaptiveCardCheck.js';
import { sampleRoom } from '../support/sampleRoom.js';

const vocabulary = {
  stages: [{ id: 'stage-use', name: 'Use' }],
  categories: [{ id: 'cat-billing', name: 'Billing' }],
} as unknown as Parameters<typeof customerRoomCard>[1];

describe('the customer room card (Teams home)', () => {
  it('is a card Microsoft’s parser reads as written, with the chart, every number, and the buttons to act', () => {
    const { card, summary } = customerRoomCard(
      sampleRoom(),
      vocabulary,
      'https://bot.example/charts/movement.png?period=2026-11-16',
    );
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(summary).toContain('Partly: we gained 5 customers more than we lost');
    expect(text).toContain('"type":"Image","url":"https://bot.example/charts/movement.png?period=2026-11-16"');
    expect(text).toContain('Whole company, customers won and lost: 24 Aug: won 12, lost 7, net +5');
    expect(text).toContain('Answer every call within a minute');
    expect(text).toContain('"action":"issue_resolve","issue":7');
    expect(text).toContain('"action":"call_unreachable","callId":"call-1"');
    // Customer words cannot format the card or mention anyone.
    expect(text).toContain('Charged twice on the invoice \\\\<!channel\\\\>');
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28_000);
  });

  it('leaves the picture out when Teams has no link to fetch it from, keeping the words', () => {
    const text = JSON.stringify(customerRoomCard(sampleRoom(), vocabulary).card);
    expect(text).not.toContain('"type":"Image"');
    expect(text).toContain('Whole company, customers won and lost:');
  });

  it('says so when the company has no priorities yet', () => {
    const room = { ...sampleRoom(), priorities: [] };
    expect(JSON.stringify(customerRoomCard(room, vocabulary).card)).toContain('No priorities set yet.');
  });
});
