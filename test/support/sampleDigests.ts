// Digests built from plain aggregates, for render tests: no database needed.
import { periodOf } from '../../src/domain/periods.js';
import { buildCustomerAssetReport, type MovementAggregate } from '../../src/domain/assets.js';
import type { Digest } from '../../src/domain/digest.js';

export const question = 'Did we earn the right to customer growth?';

export function digestWithSegments(names: string[], reason = 'Price'): Digest {
  const movements: MovementAggregate[] = names.flatMap((segment, index) => [
    { segment, kind: 'won', periodIndex: 0, customers: index + 1, value: 1000 * (index + 1) },
    { segment, kind: 'lost', periodIndex: 0, customers: 1, value: 500 },
    { segment, kind: 'won', periodIndex: 1, customers: 1, value: 700 },
  ]);
  movements.push(
    { segment: null, kind: 'won', periodIndex: 0, customers: 99, value: 99_000 },
    { segment: null, kind: 'lost', periodIndex: 0, customers: names.length, value: 500 * names.length },
    { segment: null, kind: 'won', periodIndex: 1, customers: 7, value: 4_000 },
  );
  const reasons = names.length
    ? [
        { segment: names[0]!, reason, customers: 1, value: 500 },
        { segment: null, reason, customers: 1, value: 500 },
      ]
    : [];
  const report = buildCustomerAssetReport(periodOf('week', '2026-11-16'), movements, reasons);
  return {
    period: periodOf('week', '2026-11-16'),
    title: 'week of 16–22 Nov 2026',
    words: { current: 'this week', previous: 'last week' },
    comparisons: ['last week', '4-week avg'],
    format: { locale: 'en-US', currency: 'USD' },
    sections: [
      { kind: 'headline', question, answer: 'Yes: we gained 99 customers more than we lost.' },
      { kind: 'customerAsset', report },
    ],
  };
}

export const segmentNames = (count: number) =>
  Array.from({ length: count }, (_, index) => `Segment ${String(index).padStart(2, '0')}`);
