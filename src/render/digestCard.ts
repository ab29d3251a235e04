// The digest of a period as one Adaptive Card 1.5: the same story as the Slack post. Teams
// refuses messages over about 28 KB, so the card shows the busiest segments and says
// how many quieter ones it left out; one card also means one post to make exactly once.
import type { AssetLine, CustomerAssetReport, Movement, Tally } from '../domain/assets.js';
import type { DeparturesReport } from '../domain/departures.js';
import type { Digest, DigestSection } from '../domain/digest.js';
import type { HopeReport, IssueLine, ListeningReport, Verbatim } from '../domain/listening.js';
import { formatMoney, formatSignedCount, formatSignedMoney, type NumberFormat } from '../domain/numbers.js';
import { card, text, type AdaptiveCard, type CardElement } from './adaptiveCard.js';
import { cardUserText, escapeCardMarkdown } from './cardText.js';
import { comparedWords } from './comparisonWords.js';
import { lifeLines, lifeParts, projectedWords } from './lifeWords.js';
import { standingElements } from './priorityCard.js';
import type { MovementHistory } from '../domain/movementHistory.js';
import { movementChartLines, movementChartTitle } from './movementWords.js';
import { earlyWarningLines } from './warningWords.js';

/** Segments shown on the card; with the longest names allowed this keeps a card near 15 KB. */
export const segmentsOnCard = 12;

function tallyWords(tally: Tally, format: NumberFormat, beside = ''): string {
  return tally.customers
    ? `**${tally.customers}** · ${formatMoney(tally.value, format)}${beside ? ` · ${beside}` : ''}`
    : '**0**';
}

function reasonsWords(line: AssetLine): string {
  return line.topLostReasons.map((reason) => `${cardUserText(reason.reason)} (${reason.customers})`).join(', ');
}

function totals(report: CustomerAssetReport, format: NumberFormat): CardElement[] {
  const line = report.total;
  const fact = (title: string, read: (movement: Movement) => Tally, beside = '') => ({
    title,
    value: `${tallyWords(read(line.current), format, beside)} · ${comparedWords(
      report.comparisons,
      line.compared.map((movement) => read(movement).customers),
    )}`,
  });
  const facts = [
    fact('Customers won', (movement) => movement.won, projectedWords(line.life, line.current.won.customers, format)),
    fact('Customers lost', (movement) => movement.lost),
    fact('Came back', (movement) => movement.reactivated),
    {
      title: 'Net change',
      value: `**${formatSignedCount(line.current.netCustomers)}** customers · ${formatSignedMoney(line.current.netValue, format)} · ${comparedWords(
        report.comparisons,
        line.compared.map((movement) => formatSignedCount(movement.netCustomers)),
      )}`,
    },
    fact('Bought more', (movement) => movement.expanded),
    fact('Pulled back', (movement) => movement.contracted),
    fact('Referred others', (movement) => movement.referrals),
  ];
  const items: CardElement[] = [
    text('The whole company', { weight: 'Bolder' }),
    { type: 'FactSet', facts },
    ...lifeLines(report, (words) => `**${words}**`).map((line) => text(line, { spacing: 'Small' })),
  ];
  if (line.topLostReasons.length)
    items.push(text(`Why customers left: ${reasonsWords(line)}`, { isSubtle: true, spacing: 'Small' }));
  return [{ type: 'Container', separator: true, spacing: 'Medium', items }];
}

function segment(line: AssetLine, labels: string[], format: NumberFormat, tiersNamed: boolean): CardElement {
  const week = line.current;
  const parts = [
    `won ${week.won.customers} (${[formatMoney(week.won.value, format), projectedWords(line.life, week.won.customers, format)].filter(Boolean).join(', ')})`,
    `lost ${week.lost.customers} (${formatMoney(week.lost.value, format)})`,
    week.reactivated.customers ? `came back ${week.reactivated.customers}` : '',
    `net **${formatSignedCount(week.netCustomers)}** · ${formatSignedMoney(week.netValue, format)}`,
    week.expanded.customers
      ? `bought more ${week.expanded.customers} (${formatSignedMoney(week.expanded.value, format)})`
      : '',
    week.contracted.customers
      ? `pulled back ${week.contracted.customers} (${formatSignedMoney(-week.contracted.value, format)})`
      : '',
    week.referrals.customers ? `referred others ${week.referrals.customers}` : '',
    ...lifeParts(line.life, tiersNamed),
  ].filter(Boolean);
  const items: CardElement[] = [
    text(`**${cardUserText(line.segment ?? '')}**`),
    text(parts.join(' · '), { spacing: 'None' }),
  ];
  if (line.topLostReasons.length)
    items.push(text(`Why they left: ${reasonsWords(line)}`, { isSubtle: true, spacing: 'None' }));
  items.push(
    text(
      `Net: ${comparedWords(
        labels,
        line.compared.map((movement) => formatSignedCount(movement.netCustomers)),
      )}`,
      { isSubtle: true, size: 'Small', spacing: 'None' },
    ),
  );
  return { type: 'Container', spacing: 'Medium', items };
}

function segments(report: CustomerAssetReport, format: NumberFormat): CardElement[] {
  if (!report.segments.length) return [];
  const shown = report.segments.slice(0, segmentsOnCard);
  const rest = report.segments.length - shown.length;
  const items: CardElement[] = [
    text(`By segment (${report.segments.length} with movement, busiest first)`, { weight: 'Bolder' }),
    ...shown.map((line) => segment(line, report.comparisons, format, report.tiersNamed)),
  ];
  if (rest)
    items.push(
      text(`…and ${rest} quieter ${rest === 1 ? 'segment' : 'segments'} not shown here.`, {
        isSubtle: true,
        spacing: 'Medium',
      }),
    );
  return [{ type: 'Container', separator: true, spacing: 'Medium', items }];
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
const block = (items: CardElement[]): CardElement => ({ type: 'Container', separator: true, spacing: 'Medium', items });

function departures(report: DeparturesReport, digest: Digest): CardElement[] {
  const format = digest.format;
  const reasons = report.reasons.slice(0, 8).map((line) => ({
    title: cardUserText(line.reason, 80),
    value: `**${plural(line.customers, 'customer', 'customers')}** · ${formatMoney(line.value, format)}${line.stageName ? ` · ${cardUserText(line.stageName, 60)}` : ''}`,
  }));
  return [
    block([
      text(
        `Why customers left · ${plural(report.calls, 'lost customer', 'lost customers')} reached by phone ${digest.words.current}`,
        { weight: 'Bolder' },
      ),
      { type: 'FactSet', facts: reasons },
      ...report.stories.map((story) => text(`“${cardUserText(story, 400)}”`, { isSubtle: true, spacing: 'Small' })),
    ]),
  ];
}

function issueLine(line: IssueLine, labels: string[]): string {
  const converging = line.converging ? ` · ${cardUserText(line.converging, 120)}` : '';
  return `#${line.number} ${cardUserText(line.title, 120)} (${cardUserText(line.categoryName, 60)}): **${plural(line.current, 'report', 'reports')}** · ${comparedWords(labels, line.compared)}${converging}${line.status === 'resolved' ? ' · resolved' : ''}`;
}

function listening(report: ListeningReport, digest: Digest): CardElement[] {
  const { current, previous } = digest.words;
  const heading = text(
    `What customers told us · ${plural(report.reports, 'report', 'reports')} ${current} (${previous} ${report.previous})${report.unsorted ? ` · ${report.unsorted} not yet sorted into a stage` : ''}`,
    { weight: 'Bolder' },
  );
  if (!report.stages.length) return [block([heading, text(`No feedback was logged ${current}.`, { isSubtle: true })])];
  const stages = report.stages.flatMap((stage) => [
    text(
      `**${cardUserText(stage.stageName, 60)}** · ${plural(stage.reports, 'report', 'reports')} (${previous} ${stage.previous})`,
      { spacing: 'Medium' },
    ),
    ...stage.issues.map((line) => text(`- ${issueLine(line, digest.comparisons)}`, { spacing: 'None' })),
    ...(stage.moreIssues
      ? [text(`…and ${plural(stage.moreIssues, 'more issue', 'more issues')}`, { isSubtle: true, spacing: 'None' })]
      : []),
  ]);
  return [block([heading, ...stages])];
}

function verbatims(list: Verbatim[]): CardElement[] {
  return [
    block([
      text('In their words', { weight: 'Bolder' }),
      ...list.flatMap((verbatim) => [
        text(`“${cardUserText(verbatim.text, 300)}”`, { spacing: 'Medium' }),
        text(
          `— ${cardUserText(verbatim.attribution, 120)} · ${cardUserText(verbatim.stageName, 60)}, issue #${verbatim.issueNumber}`,
          { isSubtle: true, size: 'Small', spacing: 'None' },
        ),
      ]),
    ]),
  ];
}

function hope(week: HopeReport): CardElement[] {
  const summary = `What we fixed · ${plural(week.fixes.length, 'issue resolved', 'issues resolved')} · ${plural(week.reportersTold, 'reporter told', 'reporters told')}${week.reopened ? ` · ${plural(week.reopened, 'fix reopened', 'fixes reopened')} by new feedback` : ''}`;
  return [
    block([
      text(summary, { weight: 'Bolder' }),
      ...week.fixes.slice(0, 5).map((fix) =>
        text(`- #${fix.number} ${cardUserText(fix.title, 120)}: ${cardUserText(fix.whatChanged, 300)}`, {
          spacing: 'None',
        }),
      ),
    ]),
  ];
}

/** Pictures that go with the card, as addresses Teams can fetch; without one the words still say every number. */
export interface CardImages {
  movementChartUrl?: string;
}

/** The chart (when Teams can fetch it), then every number on it in words. */
export function movementChartElements(history: MovementHistory, url: string | undefined): CardElement[] {
  const title = movementChartTitle(history);
  // Segment names are customer data: escaped in the alt text too, so none can become a mention.
  const lines = movementChartLines(history).map((line) => cardUserText(line, 2000));
  return [
    block([
      text(escapeCardMarkdown(title), { weight: 'Bolder' }),
      ...(url
        ? [
            {
              type: 'Image' as const,
              url,
              altText: `${title}. ${lines.join('. ')}`.slice(0, 2000),
              size: 'Stretch' as const,
            },
          ]
        : []),
      ...lines.map((line) => text(line, { isSubtle: true, size: 'Small', spacing: 'None' })),
    ]),
  ];
}

function sectionElements(digestSection: DigestSection, digest: Digest, images: CardImages): CardElement[] {
  switch (digestSection.kind) {
    case 'headline':
      return [
        text(escapeCardMarkdown(digestSection.question), { size: 'Large', weight: 'Bolder', style: 'heading' }),
        text(`**${escapeCardMarkdown(digestSection.answer)}**`, { spacing: 'Small' }),
        text(`Customer asset digest · ${escapeCardMarkdown(digest.title)} · whole customers, never rates`, {
          isSubtle: true,
          size: 'Small',
          spacing: 'Small',
        }),
      ];
    case 'customerAsset':
      return [...totals(digestSection.report, digest.format), ...segments(digestSection.report, digest.format)];
    case 'movementChart':
      return movementChartElements(digestSection.history, images.movementChartUrl);
    case 'departures':
      return departures(digestSection.report, digest);
    case 'listening':
      return listening(digestSection.report, digest);
    case 'verbatims':
      return verbatims(digestSection.verbatims);
    case 'hope':
      return hope(digestSection.report);
    case 'earlyWarning':
      return [
        block([
          text('Early warning', { weight: 'Bolder' }),
          ...earlyWarningLines(digestSection.warnings, (words) => cardUserText(words, 120)).map((line) =>
            text(`- ${line}`, { spacing: 'None' }),
          ),
        ]),
      ];
    case 'priorities':
      return [
        block([
          text('Priorities · complaints a week against the baseline before each started', { weight: 'Bolder' }),
          ...digestSection.standings.slice(0, 10).flatMap(standingElements),
        ]),
      ];
    default: {
      // A new section kind fails to compile here until Teams knows how to show it.
      const unhandled: never = digestSection;
      throw new Error(`No Teams rendering for digest section ${JSON.stringify(unhandled)}`);
    }
  }
}

/** Plain words for notifications and screen readers: the question and its answer. */
export function digestSummary(digest: Digest): string {
  const headline = digest.sections.find((digestSection) => digestSection.kind === 'headline');
  return headline?.kind === 'headline'
    ? `${headline.question} ${headline.answer}`
    : `Customer asset digest, ${digest.title}`;
}

export function digestToCard(digest: Digest, images: CardImages = {}): AdaptiveCard {
  return card(
    digest.sections.flatMap((digestSection) => sectionElements(digestSection, digest, images)),
    { speak: digestSummary(digest), fullWidth: true },
  );
}
