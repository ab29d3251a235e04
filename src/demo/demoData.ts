// Six weeks of believable customer movements for the local preview. Ids are fixed, so
// loading the demo twice stores it once.
import type { CustomerEventInput } from '../domain/customerEvents.js';
import { addDays, weekJustEnded, type WeekStart } from '../domain/weeks.js';
import type { Services } from '../services.js';
import type { Db } from '../store/database.js';
import { demoCco } from './demoPeople.js';

const segments = [
  { name: 'Enterprise', value: 48_000, weight: 1 },
  { name: 'Mid-market', value: 12_000, weight: 3 },
  { name: 'Small business', value: 2_400, weight: 6 },
  { name: 'Public sector', value: 30_000, weight: 1 },
];
const reasons = [
  'Onboarding took too long',
  'Price increase at renewal',
  'Support did not call back',
  'Moved to a competitor',
  'Missing integration',
];
const verbatims = [
  'We waited three weeks for someone to set us up, and nobody told us why.',
  'The renewal quote went up 18% with no conversation beforehand.',
  'I opened four tickets about the same invoice problem.',
  'Your people were lovely, the product just did not fit our workflow.',
];
/** Where customers are served, for the State of the Customer's market areas. */
const marketAreas = ['North', 'Midlands', 'London and South East', 'Scotland'];
const kinds: CustomerEventInput['kind'][] = [
  'won',
  'won',
  'won',
  'lost',
  'lost',
  'expanded',
  'contracted',
  'referral',
  'reactivated',
];

/** A small deterministic generator, so the demo looks the same on every machine. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export function demoCustomerEvents(now: Date, timeZone: string): CustomerEventInput[] {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const lastWeek = weekJustEnded(now, timeZone);
  const events: CustomerEventInput[] = [];
  for (let week = 0; week < 6; week++) {
    const weekStart = addDays(lastWeek, -7 * week);
    for (const segment of segments) {
      const count = Math.round(segment.weight * (2 + next() * 3));
      for (let index = 0; index < count; index++) {
        const kind = pick(kinds);
        const customer = Math.floor(next() * 400);
        const day = Math.floor(next() * 7);
        events.push({
          external_id: `demo-${weekStart}-${segment.name}-${index}`,
          customer_id: `demo-customer-${segment.name}-${customer}`,
          customer_name: `${segment.name} customer ${customer}`,
          segment: segment.name,
          market_area: marketAreas[customer % marketAreas.length]!,
          kind,
          value: Math.round(segment.value * (kind === 'expanded' || kind === 'contracted' ? 0.2 : 1) * (0.5 + next())),
          occurred_at: new Date(`${addDays(weekStart, day)}T12:00:00Z`),
          ...(kind === 'lost' ? { reason: pick(reasons), verbatim: pick(verbatims) } : {}),
        });
      }
    }
  }
  return [...events, ...storyEvents(lastWeek)];
}

/** Yearly value floors for the demo's tiers, as a CCO would type them after `/cco tiers`. */
export const demoTiers = 'Bronze 0, Silver 10000, Gold 40000';
/** Public sector customers are quiet between contracts: silent for 60 days, they count as lapsed. */
export const demoLapse = 'Public sector 60 days';

const won = (value: number, projected: number) => ({ kind: 'won' as const, value, projected_value: projected });

/**
 * Named customers with a story: one climbs a tier and one slips last week, one Public sector
 * customer lapses last week while another stays alive through signs of life, and new
 * customers arrive with what they are expected to be worth.
 */
function storyEvents(lastWeek: WeekStart): CustomerEventInput[] {
  const story: Array<
    [string, string, string, string, number, Pick<CustomerEventInput, 'kind' | 'value' | 'projected_value'>]
  > = [
    ['harbour', 'Harbour Logistics', 'Mid-market', 'North', -30, won(8_500, 20_000)],
    ['harbour', 'Harbour Logistics', 'Mid-market', 'North', 2, { kind: 'expanded', value: 4_000 }],
    ['alder', 'Alder & Finch', 'Enterprise', 'London and South East', -38, won(46_000, 90_000)],
    ['alder', 'Alder & Finch', 'Enterprise', 'London and South East', 3, { kind: 'contracted', value: 9_000 }],
    ['northbridge', 'Northbridge City Council', 'Public sector', 'North', -58, won(28_000, 60_000)],
    ['kelvin', 'Kelvin Health Board', 'Public sector', 'Scotland', -62, won(34_000, 70_000)],
    ['kelvin', 'Kelvin Health Board', 'Public sector', 'Scotland', -20, { kind: 'active', value: 0 }],
    ['kelvin', 'Kelvin Health Board', 'Public sector', 'Scotland', 1, { kind: 'active', value: 0 }],
    ['harbour', 'Harbour Logistics', 'Mid-market', 'North', -9, { kind: 'active', value: 0 }],
    ['brightwell', 'Brightwell Dental', 'Small business', 'Midlands', 1, won(2_600, 7_500)],
    ['ostara', 'Ostara Retail Group', 'Enterprise', 'Midlands', 4, won(52_000, 150_000)],
  ];
  return story.map(([id, name, segment, area, day, event], index) => ({
    external_id: `demo-story-${id}-${index}`,
    customer_id: `demo-customer-${id}`,
    customer_name: name,
    segment,
    market_area: area,
    occurred_at: new Date(`${addDays(lastWeek, day)}T12:00:00Z`),
    ...event,
  }));
}

/** The CCO's tiers and lapse window for the demo, set once: settings someone changed since are left as they are. */
export async function loadDemoCustomerLife(services: Services, db: Db): Promise<void> {
  if ((await db.valueTier.count()) === 0)
    await services.customerLife.answer(demoCco, { kind: 'tiers', action: 'set', text: demoTiers });
  if ((await db.lapseWindow.count()) === 0)
    await services.customerLife.answer(demoCco, { kind: 'lapse', action: 'set', text: demoLapse });
}
