import { describe, expect, it } from 'vitest';
import { cardActivity } from '../../src/render/adaptiveCard.js';
import { digestSummary, digestToCard, segmentsOnCard } from '../../src/render/digestCard.js';
import { digestWithSegments, question, segmentNames } from '../support/sampleDigests.js';

const teamsMessageLimitBytes = 28 * 1024;

describe('the digest in Teams', () => {
  it('opens with the question and its answer, and says which week it is', () => {
    const card = digestToCard(digestWithSegments(['Retail']));
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: question, size: 'Large', weight: 'Bolder' });
    expect(card.body[1]).toMatchObject({
      type: 'TextBlock',
      text: '**Yes: we gained 99 customers more than we lost.**',
    });
    expect(JSON.stringify(card.body[2])).toContain('week of 16–22 Nov 2026');
    expect(digestSummary(digestWithSegments([]))).toBe(`${question} Yes: we gained 99 customers more than we lost.`);
  });

  it('shows totals against last week and the 4-week average, and why customers left', () => {
    const shown = JSON.stringify(digestToCard(digestWithSegments(['Retail', 'Enterprise'])));
    expect(shown).toContain('{"title":"Customers won","value":"**99** · $99,000 · last week 7 · 4-week avg 2"}');
    expect(shown).toContain(
      '{"title":"Net change","value":"**+97** customers · +$98,000 · last week +7 · 4-week avg +2"}',
    );
    expect(shown).toContain('Why customers left: Price (1)');
  });

  it('lists segments busiest first, capped, and says how many more there are', () => {
    const shown = JSON.stringify(digestToCard(digestWithSegments(segmentNames(40))));
    expect(shown).toContain('By segment (40 with movement, busiest first)');
    expect(shown).toContain('**Segment 39**');
    expect(shown).toContain(`**Segment ${40 - segmentsOnCard}**`);
    expect(shown).not.toContain(`**Segment ${String(40 - segmentsOnCard - 1).padStart(2, '0')}**`);
    expect(shown).toContain(`…and ${40 - segmentsOnCard} quieter segments not shown here.`);
  });

  it('says nothing about segments when none moved', () => {
    const shown = JSON.stringify(digestToCard(digestWithSegments([])));
    expect(shown).not.toContain('By segment');
    expect(shown).toContain('Customers won');
  });

  it('stays within Teams’ message size with 40 segments of very long, markdown-heavy names and reasons', () => {
    const names = Array.from(
      { length: 40 },
      (_, index) => `${index} ${'[*_<at>x</at>_*](https://e.example) '.repeat(60)}`,
    );
    const activity = cardActivity(digestToCard(digestWithSegments(names, '[x](y) '.repeat(500))), 'summary');
    expect(Buffer.byteLength(JSON.stringify(activity))).toBeLessThan(teamsMessageLimitBytes);
  });
});
