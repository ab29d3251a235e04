// The words both platforms use for an early warning, with every piece that came from a
// customer or the company language passed through the platform's own escape (`quote`).
import { formatMoney, type NumberFormat } from '../domain/numbers.js';
import { unitText, type EarlyWarnings, type WarningStory } from '../domain/warnings.js';

export const warningTitles: Record<WarningStory['kind'], string> = {
  belowStandard: 'Early warning: a moment that matters is below standard',
  recovered: 'Recovered: a moment that matters meets its standard again',
  complaintSpike: 'Early warning: complaints are spiking',
};

export function whereWords(story: WarningStory, quote: (text: string) => string): string {
  const stage = `stage ${quote(story.stageName)}`;
  if (story.moment) return `${quote(story.moment.name)}, at ${stage}`;
  return story.categoryName ? `${quote(story.categoryName)}, at ${stage}` : stage;
}

/** "91% (below) on 2026-11-30 · 95% on 2026-11-29", newest first, against the standard. */
export function readingsWords(moment: NonNullable<WarningStory['moment']>): string {
  const side = moment.better === 'higher' ? 'below' : 'above';
  const readings = moment.readings.map(
    (reading) =>
      `${unitText(reading.value, moment.unit)}${reading.meets ? '' : ` (${side})`} on ${reading.at.slice(0, 10)}`,
  );
  return `${readings.join(' · ')}. Standard: ${unitText(moment.standard, moment.unit)}, ${moment.better} is better.`;
}

export function complaintsWords(story: WarningStory, quote: (text: string) => string): string {
  const where = story.categoryName
    ? `about ${quote(story.categoryName)} at ${quote(story.stageName)}`
    : `at ${quote(story.stageName)}`;
  const { thisWeek, weeklyBaseline } = story.complaints;
  return `${thisWeek} ${thisWeek === 1 ? 'complaint' : 'complaints'} ${where} this week so far; usually ${Number(weeklyBaseline.toFixed(1))} a week (the 8 weeks before).`;
}

export function lostWords(story: WarningStory, format: NumberFormat, quote: (text: string) => string): string[] {
  const { customers, value, examples } = story.lost;
  if (!customers) return ['No customer lost this week points here.'];
  return [
    `${customers} ${customers === 1 ? 'customer' : 'customers'} lost this week ${customers === 1 ? 'points' : 'point'} here, worth ${formatMoney(value, format)}.`,
    ...examples.map(
      (example) =>
        `${quote(example.who)}: ${formatMoney(example.value, format)}${example.reason ? `, “${quote(example.reason)}”` : ''}`,
    ),
  ];
}

/** The digest's "Early warning" lines, one per moment or spike, each passed through `quote`. */
export function earlyWarningLines(week: EarlyWarnings, quote: (text: string) => string): string[] {
  const days = (count: number) => (count === 0 ? 'less than a day' : `${count} ${count === 1 ? 'day' : 'days'}`);
  return [
    ...week.belowStandard.map(
      (line) =>
        `Below standard: ${quote(line.moment)} (${quote(line.stageName)}), ${quote(line.latest)} against ${quote(line.standard)}, for ${days(line.days)} (since ${line.since})`,
    ),
    ...week.spikes.map(
      (line) =>
        `Complaint spike: ${line.categoryName ? `${quote(line.categoryName)} at ` : ''}${quote(line.stageName)}, ${line.complaints} complaints when it fired, usually ${Number(line.weeklyBaseline.toFixed(1))} a week`,
    ),
    ...week.recovered.map(
      (line) =>
        `Recovered: ${quote(line.moment)} (${quote(line.stageName)}) meets its standard again, after ${days(line.days)} below it`,
    ),
  ];
}
