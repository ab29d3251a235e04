// The customer asset (Bliss, CCO 2.0): how many customers we won and lost, what they
// were worth, who grew or pulled back, who referred others. Always whole customers,
// never rates, so leaders see people rather than percentages.
import type { MovementKind } from './customerEvents.js';
import { customers, formatMoney, type NumberFormat } from './numbers.js';
import { comparisonsFor, periodsToAggregate, type Period } from './periods.js';

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
  /** The digest's period. */
  current: Movement;
  /** Against each of the report's comparisons, in order (a week: last week, then the 4-week average); the first is always the period before. */
  compared: Movement[];
  topLostReasons: ReasonTally[];
  /** This period's lapsed customers, tier moves and projected value. */
  life: LifeFigures;
}

export interface CustomerAssetReport {
  period: Period;
  /** What `compared` holds, in words: "last week", "4-week avg", "last month", "a year ago". */
  comparisons: string[];
  tiersNamed: boolean;
  total: AssetLine;
  /** Busiest segments first. */
  segments: AssetLine[];
}

/** One aggregate from the store: a kind of movement in one period, for a segment or (segment null) in total. */
export interface MovementAggregate {
  segment: string | null;
  kind: MovementKind;
  /** Which of the periods asked for: 0 is the digest's own (for a week, 1 to 4 are the weeks before). */
  periodIndex: number;
  customers: number;
  value: number;
}

export interface LostReasonAggregate extends Tally {
  segment: string | null;
  reason: string | null;
}

export interface CustomerAssetStore {
  /** Aggregates for each of `periods` (the digest's own first, then those it is compared with), per segment and in total, in one pass. */
  movementAggregates(periods: Period[], timeZone: string): Promise<MovementAggregate[]>;
  lostReasonAggregates(period: Period, timeZone: string): Promise<LostReasonAggregate[]>;
  /** Lapsed customers, tier moves and projected value over the local dates [from, until), per segment and in total. */
  lifeAggregates(from: string, until: string, timeZone: string): Promise<LifeAggregates>;
}

/** Which tally of a Movement each kind of event counts in. */
export const tallyOf: Record<MovementKind, keyof Omit<Movement, 'netCustomers' | 'netValue'>> = {
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

/** A movement from its tallies (missing ones are zero), with the net change worked out as the digest counts it. */
export function movementFrom(tallies: Partial<Record<string, Tally>>): Movement {
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

function averageOf(periods: Movement[]): Movement {
  const average = (read: (movement: Movement) => Tally): Tally => ({
    customers: Math.round(periods.reduce((sum, period) => sum + read(period).customers, 0) / periods.length),
    value: periods.reduce((sum, period) => sum + read(period).value, 0) / periods.length,
  });
  return movementFrom(
    Object.fromEntries(Object.values(tallyOf).map((name) => [name, average((movement) => movement[name])])),
  );
}

function activity(movement: Movement, life?: LifeFigures): number {
  return (
    movement.won.customers +
    movement.lost.customers +
    movement.reactivated.customers +
    movement.expanded.customers +
    movement.contracted.customers +
    movement.referrals.customers +
    (life ? life.lapsed + life.movedUpTier + life.movedDownTier : 0)
  );
}

const topReasonsShown = 3;

/** `movements` are indexed by `periodsToAggregate(period)`, as the store is asked for them. */
export function buildCustomerAssetReport(
  period: Period,
  movements: MovementAggregate[],
  reasons: LostReasonAggregate[],
  life: LifeAggregates = { tiersNamed: false, rows: [] },
): CustomerAssetReport {
  const asked = periodsToAggregate(period);
  const comparisons = comparisonsFor(period).map((comparison) => ({
    label: comparison.label,
    indexes: comparison.periods.map((wanted) => asked.findIndex((known) => known.start === wanted.start)),
  }));
  const keyOf = (segment: string | null) => segment ?? '\u0000total';
  const periodsBySegment = new Map<string, { segment: string | null; periods: Map<number, Record<string, Tally>> }>();
  periodsBySegment.set(keyOf(null), { segment: null, periods: new Map() });
  const lifeBySegment = new Map(life.rows.map((row) => [keyOf(row.segment), row]));
  for (const row of life.rows)
    if (!periodsBySegment.has(keyOf(row.segment)))
      periodsBySegment.set(keyOf(row.segment), { segment: row.segment, periods: new Map() });
  for (const aggregate of movements) {
    const entry = periodsBySegment.get(keyOf(aggregate.segment)) ?? { segment: aggregate.segment, periods: new Map() };
    periodsBySegment.set(keyOf(aggregate.segment), entry);
    const tallies = entry.periods.get(aggregate.periodIndex) ?? {};
    tallies[tallyOf[aggregate.kind]] = { customers: aggregate.customers, value: aggregate.value };
    entry.periods.set(aggregate.periodIndex, tallies);
  }

  const lines = [...periodsBySegment.values()].map(
    ({ segment, periods }): AssetLine => ({
      segment,
      current: movementFrom(periods.get(0) ?? {}),
      compared: comparisons.map(({ indexes }) =>
        averageOf(indexes.map((index) => movementFrom(periods.get(index) ?? {}))),
      ),
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
    period,
    comparisons: comparisons.map((comparison) => comparison.label),
    tiersNamed: life.tiersNamed,
    total: total!,
    segments: segments
      // A segment quiet in this period and the one before has nothing to say.
      .filter((line) => activity(line.current, line.life) > 0 || activity(line.compared[0]!) > 0)
      .sort(
        (a, b) =>
          activity(b.current, b.life) - activity(a.current, a.life) ||
          Math.abs(b.current.netValue) - Math.abs(a.current.netValue) ||
          a.segment!.localeCompare(b.segment!),
      ),
  };
}

export async function customerAssetReport(
  store: CustomerAssetStore,
  period: Period,
  timeZone: string,
): Promise<CustomerAssetReport> {
  const [movements, reasons, life] = await Promise.all([
    store.movementAggregates(periodsToAggregate(period), timeZone),
    store.lostReasonAggregates(period, timeZone),
    store.lifeAggregates(period.start, period.end, timeZone),
  ]);
  return buildCustomerAssetReport(period, movements, reasons, life);
}

export const earnedGrowthQuestion = 'Did we earn the right to customer growth?';

/** The one-sentence answer to the digest's opening question, drawn only from the period's numbers. */
export function earnedGrowthAnswer(movement: Movement, format: NumberFormat, thisPeriod = 'this week'): string {
  const gained = movement.won.customers + movement.reactivated.customers;
  const nothingMoved =
    gained +
      movement.lost.customers +
      movement.expanded.customers +
      movement.contracted.customers +
      movement.referrals.customers ===
    0;
  if (nothingMoved)
    return `No customer movements were recorded ${thisPeriod}, so we cannot say: check that customer events are reaching the bot.`;
  const net = movement.netCustomers;
  const value = Math.round(movement.netValue);
  const valueWords =
    value >= 0
      ? `customer value grew by ${formatMoney(value, format)}`
      : `customer value fell by ${formatMoney(-value, format)}`;
  const referrals =
    movement.referrals.customers > 0 ? `${customers(movement.referrals.customers)} referred others` : '';
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
