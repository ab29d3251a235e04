// Six weeks of believable customer movements for the local preview. Ids are fixed, so
// loading the demo twice stores it once.
import type { CustomerEventInput } from '../domain/customerEvents.js';
import { addDays, weekJustEnded } from '../domain/weeks.js';

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
          kind,
          value: Math.round(segment.value * (kind === 'expanded' || kind === 'contracted' ? 0.2 : 1) * (0.5 + next())),
          occurred_at: new Date(`${addDays(weekStart, day)}T12:00:00Z`),
          ...(kind === 'lost' ? { reason: pick(reasons), verbatim: pick(verbatims) } : {}),
        });
      }
    }
  }
  return events;
}
