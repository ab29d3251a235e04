// "Why customers left": what callers heard in lost-customer calls logged in the period, by
// reason and journey stage, with two or three short stories so leaders read about people.
import { formatMoney, type NumberFormat } from './numbers.js';
import type { Period } from './periods.js';

export interface DepartureCall {
  segment: string;
  valueLost: number;
  lostAt: Date;
  reason: string;
  stageName: string | null;
  verbatim: string | null;
  mightReturn: 'yes' | 'no' | 'maybe' | null;
  /** From the customer's first win to their loss; null when we never saw them arrive. */
  customerForMonths: number | null;
}

export interface ReasonLine {
  reason: string;
  stageName: string | null;
  customers: number;
  value: number;
}

export interface DeparturesStore {
  /** Reached calls logged in the period, by reason and stage. */
  reasonsLogged(period: Period, timeZone: string): Promise<ReasonLine[]>;
  /** The period's reached calls with the customer's words, biggest losses first. */
  storyCalls(period: Period, timeZone: string, limit: number): Promise<DepartureCall[]>;
}

export interface StoryWriter {
  /** Short, true stories from the calls; a writer that fails answers with the template's. */
  write(calls: DepartureCall[], format: NumberFormat): Promise<string[]>;
}

export interface DeparturesReport {
  reasons: ReasonLine[];
  stories: string[];
  calls: number;
}

export const storiesWanted = 3;

export async function departuresReport(
  store: DeparturesStore,
  writer: StoryWriter,
  period: Period,
  timeZone: string,
  format: NumberFormat,
): Promise<DeparturesReport> {
  const [reasons, calls] = await Promise.all([
    store.reasonsLogged(period, timeZone),
    store.storyCalls(period, timeZone, storiesWanted),
  ]);
  return {
    reasons,
    stories: calls.length ? await writer.write(calls, format) : [],
    calls: reasons.reduce((sum, line) => sum + line.customers, 0),
  };
}

function tenure(months: number | null): string {
  if (months === null) return 'A';
  if (months < 12) return months <= 1 ? 'A new' : `A ${months}-month`;
  const years = Math.floor(months / 12);
  return `A ${years}-year`;
}

/** "A 6-year customer in Retail ($12,000 a year) left in March over Delivery: “…”" — built from the call alone. */
export function templateStory(call: DepartureCall, format: NumberFormat): string {
  const month = new Intl.DateTimeFormat(format.locale, { month: 'long', timeZone: 'UTC' }).format(call.lostAt);
  const stage = call.stageName ? ` at the ${call.stageName} stage` : '';
  const words = call.verbatim
    ? ` In their words: “${call.verbatim.length > 200 ? `${call.verbatim.slice(0, 199)}…` : call.verbatim}”`
    : '';
  const back =
    call.mightReturn === 'yes'
      ? ' They might come back.'
      : call.mightReturn === 'maybe'
        ? ' They might come back if it is fixed.'
        : '';
  return `${tenure(call.customerForMonths)} customer in ${call.segment} (${formatMoney(call.valueLost, format)}) left in ${month} over ${call.reason.toLowerCase()}${stage}.${words}${back}`;
}

export const templateStoryWriter: StoryWriter = {
  async write(calls, format) {
    return calls.map((call) => templateStory(call, format));
  },
};
