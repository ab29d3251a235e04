import { periodOf } from '../../src/domain/periods.js';
import { describe, expect, it } from 'vitest';
import { buildCustomerAssetReport, type MovementAggregate } from '../../src/domain/assets.js';
import type { Digest } from '../../src/domain/digest.js';
import { digestToSlack } from '../../src/render/digestSlack.js';

function digestWithSegments(names: string[], reason = 'Price'): Digest {
  const movements: MovementAggregate[] = names.flatMap((segment, index) => [
    { segment, kind: 'won', periodIndex: 0, customers: index + 1, value: 1000 * (index + 1) },
    { segment, kind: 'lost', periodIndex: 0, customers: 1, value: 500 },
  ]);
  movements.push({ segment: null, kind: 'won', periodIndex: 0, customers: 99, value: 99_000 });
  const report = buildCustomerAssetReport(periodOf('week', '2026-11-16'), movements, [
    { segment: names[0] ?? null, reason, customers: 1, value: 500 },
  ]);
  return {
    period: periodOf('week', '2026-11-16'),
    title: 'week of 16–22 Nov 2026',
    words: { current: 'this week', previous: 'last week' },
    comparisons: ['last week', '4-week avg'],
    format: { locale: 'en-US', currency: 'USD' },
    sections: [
      {
        kind: 'headline',
        question: 'Did we earn the right to customer growth?',
        answer: 'Yes: we gained 99 customers more than we lost.',
      },
      { kind: 'customerAsset', report },
    ],
  };
}

function textsOf(blocks: unknown[]): string[] {
  return JSON.stringify(blocks).match(/"text":"(?:[^"\\]|\\.)*"/g) ?? [];
}

describe('the digest in Slack', () => {
  it('opens with the question and its answer', () => {
    const [main] = digestToSlack(digestWithSegments(['Retail']));
    expect(main!.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'Did we earn the right to customer growth?' },
    });
    expect(JSON.stringify(main!.blocks[1])).toContain('Yes: we gained 99 customers more than we lost.');
  });

  it('stays within Block Kit limits with 40 segments and carries every segment, the rest in the thread', () => {
    const names = Array.from(
      { length: 40 },
      (_, index) => `Segment ${String(index).padStart(2, '0')} ${'long name '.repeat(20)}`,
    );
    const messages = digestToSlack(digestWithSegments(names));
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
        if (block.type === 'section' && block.fields) expect(block.fields.length).toBeLessThanOrEqual(10);
      }
    }
    const everything = JSON.stringify(messages);
    for (const name of names) expect(everything).toContain(name.slice(0, 40));
    expect(messages.length).toBeGreaterThan(1);
    expect(JSON.stringify(messages[0])).toContain('32 more segments in the thread');
  });

  it('shows the busiest segments in the main post', () => {
    const [main] = digestToSlack(digestWithSegments(Array.from({ length: 12 }, (_, index) => `S${index}`)));
    expect(JSON.stringify(main)).toContain('*S11*');
    expect(JSON.stringify(main)).not.toContain('*S0*');
  });

  it('cannot be made to ping a channel or spoof a link by what customers or systems wrote', () => {
    const hostile = ['<!channel> urgent', '<https://evil.example|your bank>', '<@U123> & co'];
    const messages = digestToSlack(digestWithSegments(hostile, '<!here> <https://phish.example|Reset password>'));
    const texts = messages.flatMap((message) => [message.text, ...textsOf(message.blocks)]).join('\n');
    expect(texts).not.toMatch(/<!channel>|<!here>|<https?:|<@U/);
    expect(texts).toContain('&lt;!channel&gt; urgent');
    expect(texts).toContain('&lt;@U123&gt; &amp; co');
  });
});
