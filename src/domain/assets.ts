// The customer asset (Bliss, CCO 2.0): how many customers we won and lost, what they
// were worth, who grew or pulled back, who referred others. Always whole customers,
// never rates, so leaders see people rather than percentages.
import type { MovementKind } from './customerEvents.js';
import { customers, formatMoney, type NumberFormat } from './numbers.js';
import { addDays, type WeekStart } from './weeks.js';

export interface Tally {
  customers: number;
  value: number;
}

export interface Movement {
  won: Tally;
  reactivated: Tally;
  lost: Tally;
  expanded: Tally;
  contracted: Tally;
  referrals: Tally;
  /** Customers gained (won + reactivated) minus customers lost. */
  netCustomers: number;
  /** Value gained (won, reactivated, expanded) minus value lost (lost, contracted). */
  netValue: number;
}

/**
 * What a period shows of the customer asset beyond movements. Lapsed customers went silent
 * for longer than their segment's window (counted in the period they crossed it, never again
 * after); tier moves compare a customer's tier at the period's start and end.
 */
export interface LifeFigures {
  lapsed: number;
  movedUpTier: number;
  movedDownTier: number;
  /** Projected value of the customers won in the period, over the won events that carry one. */
  projectedValue: number;
  customersWithProjection: number;
}

export interface LifeAggregate extends LifeFigures {
  /** null for the whole organisation. */
  segment: string | null;
}

export interface LifeAggregates {
  /** False until the CCO names value tiers: tier moves are then not counted. */
  tiersNamed: boolean;
  rows: LifeAggregate[];
}

export interface ReasonTally extends Tally {
  reason: string;
}

export interface AssetLine {
  /** null for the whole organisation. */
  segment: string | null;
  thisWeek: Movement;
  lastWeek: Movement;
  /** Average of the four weeks before this one, rounded to whole customers. */
  fourWeekAverage: Movement;
  topLostReasons: ReasonTally[];
  /** This period's lapsed customers, tier moves and projected value. */
  life: LifeFigures;
}

export interface CustomerAssetReport {
  weekStart: WeekStart;
  tiersNamed: boolean;
  total: AssetLine;
  /** Busiest segments first. */
  segments: AssetLine[];
}

/** One aggregate from the store: a kind of movement in one week, for a segment or (segment null) in total. */
export interface MovementAggregate {
  segment: string | null;
  kind: MovementKind;
  /** 0 = the reported week, -1 = the week before, … -4. */
  weekOffset: number;
  customers: number;
  value: number;
}

export interface LostReasonAggregate extends Tally {
  segment: string | null;
  reason: string | null;
}

export interface CustomerAssetStore {
  /** Aggregates for the reported week and the four before it, per segment and in total. */
  movementAggregates(weekStart: WeekStart, timeZone: string): Promise<MovementAggregate[]>;
  lostReasonAggregates(weekStart: WeekStart, timeZone: string): Promise<LostReasonAggregate[]>;
  /** Lapsed customers, tier moves and projected value over the local dates [from, until), per segment and in total. */
  lifeAggregates(from: string, until: string, timeZone: string): Promise<LifeAggregates>;
}

const tallyOf: Record<MovementKind, keyof Omit<Movement, 'netCustomers' | 'netValue'>> = {
  won: 'won',
  reactivated: 'reactivated',
  lost: 'lost',
  expanded: 'expanded',
  contracted: 'contracted',
  referral: 'referrals',
};

const zero = (): Tally => ({ customers: 0, value: 0 });
const noLife = (): LifeFigures => ({
  lapsed: 0,
  movedUpTier: 0,
  movedDownTier: 0,
  projectedValue: 0,
  customersWithProjection: 0,
});

function lifeOf(row: LifeAggregate | undefined): LifeFigures {
  if (!row) return noLife();
  const { segment: _segment, ...figures } = row;
  return figures;
}

function movementFrom(tallies: Partial<Record<string, Tally>>): Movement {
  const pick = (name: keyof Omit<Movement, 'netCustomers' | 'netValue'>) => tallies[name] ?? zero();
  const movement = {
    won: pick('won'),
    reactivated: pick('reactivated'),
    lost: pick('lost'),
    expanded: pick('expanded'),
    contracted: pick('contracted'),
    referrals: pick('referrals'),
  };
  return {
    ...movement,
    netCustomers: movement.won.customers + movement.reactivated.customers - movement.lost.customers,
    netValue:
      movement.won.value +
      movement.reactivated.value +
      movement.expanded.value -
      movement.lost.value -
      movement.contracted.value,
  };
}

function averageOf(weeks: Movement[]): Movement {
  const average = (read: (movement: Movement) => Tally): Tally => ({
    customers: Math.round(weeks.reduce((sum, week) => sum + read(week).customers, 0) / weeks.length),
    value: weeks.reduce((sum, week) => sum + read(week).value, 0) / weeks.length,
  });
  return movementFrom(
    Object.fromEntries(Object.values(tallyOf).map((name) => [name, average((movement) => movement[name])])),
  );
}

function activity(line: AssetLine): number {
  const week = line.thisWeek;
  return (
    week.won.customers +
    week.lost.customers +
    week.reactivated.customers +
    week.expanded.customers +
    week.contracted.customers +
    week.referrals.customers +
    line.life.lapsed +
    line.life.movedUpTier +
    line.life.movedDownTier
  );
}

const topReasonsShown = 3;

export function buildCustomerAssetReport(
  weekStart: WeekStart,
  movements: MovementAggregate[],
  reasons: LostReasonAggregate[],
  life: LifeAggregates = { tiersNamed: false, rows: [] },
): CustomerAssetReport {
  const keyOf = (segment: string | null) => segment ?? '\u0000total';
  const weeksBySegment = new Map<string, { segment: string | null; weeks: Map<number, Record<string, Tally>> }>();
  weeksBySegment.set(keyOf(null), { segment: null, weeks: new Map() });
  const lifeBySegment = new Map(life.rows.map((row) => [keyOf(row.segment), row]));
  for (const row of life.rows)
    if (!weeksBySegment.has(keyOf(row.segment)))
      weeksBySegment.set(keyOf(row.segment), { segment: row.segment, weeks: new Map() });
  for (const aggregate of movements) {
    const entry = weeksBySegment.get(keyOf(aggregate.segment)) ?? { segment: aggregate.segment, weeks: new Map() };
    weeksBySegment.set(keyOf(aggregate.segment), entry);
    const week = entry.weeks.get(aggregate.weekOffset) ?? {};
    week[tallyOf[aggregate.kind]] = { customers: aggregate.customers, value: aggregate.value };
    entry.weeks.set(aggregate.weekOffset, week);
  }

  const lines = [...weeksBySegment.values()].map(
    ({ segment, weeks }): AssetLine => ({
      segment,
      thisWeek: movementFrom(weeks.get(0) ?? {}),
      lastWeek: movementFrom(weeks.get(-1) ?? {}),
      fourWeekAverage: averageOf([-1, -2, -3, -4].map((offset) => movementFrom(weeks.get(offset) ?? {}))),
      topLostReasons: reasons
        .filter((reason) => reason.segment === segment)
        .map((reason) => ({
          reason: reason.reason ?? 'No reason recorded yet',
          customers: reason.customers,
          value: reason.value,
        }))
        .sort((a, b) => b.customers - a.customers || b.value - a.value || a.reason.localeCompare(b.reason))
        .slice(0, topReasonsShown),
      life: lifeOf(lifeBySegment.get(keyOf(segment))),
    }),
  );

  const [total, ...segments] = lines;
  return {
    weekStart,
    tiersNamed: life.tiersNamed,
    total: total!,
    segments: segments
      .filter((line) => activity(line) > 0 || activity({ ...line, thisWeek: line.lastWeek }) > 0)
      .sort(
        (a, b) =>
          activity(b) - activity(a) ||
          Math.abs(b.thisWeek.netValue) - Math.abs(a.thisWeek.netValue) ||
          a.segment!.localeCompare(b.segment!),
      ),
  };
}

export async function customerAssetReport(
  store: CustomerAssetStore,
  weekStart: WeekStart,
  timeZone: string,
): Promise<CustomerAssetReport> {
  const [movements, reasons, life] = await Promise.all([
    store.movementAggregates(weekStart, timeZone),
    store.lostReasonAggregates(weekStart, timeZone),
    store.lifeAggregates(weekStart, addDays(weekStart, 7), timeZone),
  ]);
  return buildCustomerAssetReport(weekStart, movements, reasons, life);
}

export const earnedGrowthQuestion = 'Did we earn the right to customer growth?';

/** The one-sentence answer to the digest's opening question, drawn only from this week's numbers. */
export function earnedGrowthAnswer(week: Movement, format: NumberFormat): string {
  const gained = week.won.customers + week.reactivated.customers;
  const nothingMoved =
    gained + week.lost.customers + week.expanded.customers + week.contracted.customers + week.referrals.customers === 0;
  if (nothingMoved)
    return 'No customer movements were recorded this week, so we cannot say: check that customer events are reaching the bot.';
  const net = week.netCustomers;
  const value = Math.round(week.netValue);
  const valueWords =
    value >= 0
      ? `customer value grew by ${formatMoney(value, format)}`
      : `customer value fell by ${formatMoney(-value, format)}`;
  const referrals = week.referrals.customers > 0 ? `${customers(week.referrals.customers)} referred others` : '';
  const withReferrals = (sentence: string) => (referrals ? `${sentence}; ${referrals}.` : `${sentence}.`);
  if (net > 0 && value >= 0)
    return referrals
      ? `Yes: we gained ${customers(net)} more than we lost, ${valueWords}, and ${referrals}.`
      : `Yes: we gained ${customers(net)} more than we lost and ${valueWords}.`;
  if (net > 0) return withReferrals(`Partly: we gained ${customers(net)} more than we lost, but ${valueWords}`);
  if (net < 0 && value > 0)
    return withReferrals(`Partly: ${valueWords}, but we lost ${customers(-net)} more than we gained`);
  if (net < 0) return withReferrals(`No: we lost ${customers(-net)} more than we gained and ${valueWords}`);
  return withReferrals(`Not yet: we gained as many customers as we lost (${gained}) and ${valueWords}`);
}
