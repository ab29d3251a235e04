// The words for lapsed customers, tier moves and projected value, shared by the Slack post
// and the Teams card so both say the same thing; `strong` is each platform's bold.
import type { CustomerAssetReport, LifeFigures } from '../domain/assets.js';
import { formatMoney, type NumberFormat } from '../domain/numbers.js';

const customersWord = (count: number) => (count === 1 ? 'customer' : 'customers');

/** "projected $90,000 for 2 of them", beside the value won; empty when no won event carried a projection. */
export function projectedWords(life: LifeFigures, wonCustomers: number, format: NumberFormat): string {
  if (!life.customersWithProjection) return '';
  const whom = life.customersWithProjection >= wonCustomers ? '' : ` for ${life.customersWithProjection} of them`;
  return `projected ${formatMoney(life.projectedValue, format)}${whom}`;
}

/** The whole company's lapsed customers and tier moves, one line each. */
export function lifeLines(report: CustomerAssetReport, strong: (text: string) => string): string[] {
  const life = report.total.life;
  const lines = [
    `${strong('Lapsed')}: ${strong(String(life.lapsed))} ${customersWord(life.lapsed)} went longer than their segment's window without a sign of life (not counted as lost: they never said they left)`,
  ];
  if (report.tiersNamed)
    lines.push(
      `${strong('Value tiers')}: ${strong(String(life.movedUpTier))} moved up a tier · ${strong(String(life.movedDownTier))} moved down a tier`,
    );
  return lines;
}

/** Short parts for a segment's line; only what happened. */
export function lifeParts(life: LifeFigures, tiersNamed: boolean): string[] {
  return [
    life.lapsed ? `lapsed ${life.lapsed}` : '',
    tiersNamed && life.movedUpTier ? `up a tier ${life.movedUpTier}` : '',
    tiersNamed && life.movedDownTier ? `down a tier ${life.movedDownTier}` : '',
  ].filter(Boolean);
}
