// The digest of a period as Slack messages: a main post that always fits Block Kit's limits,
// and thread replies carrying the segments that did not fit.
import type { AssetLine, CustomerAssetReport, Movement, Tally } from '../domain/assets.js';
import type { DeparturesReport } from '../domain/departures.js';
import type { Digest, DigestSection } from '../domain/digest.js';
import type { HopeReport, IssueLine, ListeningReport, Verbatim } from '../domain/listening.js';
import type { MovementHistory } from '../domain/movementHistory.js';
import { formatMoney, formatSignedCount, formatSignedMoney, type NumberFormat } from '../domain/numbers.js';
import type { SlackBlock } from './blockKitHtml.js';
import { comparedWords } from './comparisonWords.js';
import { blockKitLimits, escapeMrkdwn, fitText } from './slackText.js';
import { lifeLines, lifeParts, projectedWords } from './lifeWords.js';
import { standingText } from './priorityMrkdwn.js';
import { movementChartLines, movementChartTitle } from './movementWords.js';
import { earlyWarningLines } from './warningWords.js';

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Where an image block finds its picture: a file uploaded to Slack, or a PNG carried in the page (the local preview). */
export type SlackImageSource = { slack_file: { id: string } } | { image_url: string };

/** Pictures that go with the digest, made before it is rendered. Without one, its words still say every number. */
export interface DigestImages {
  movementChart?: SlackImageSource;
}

/** Slack's limit on an image block's alt text. */
const altTextLimit = 2000;

/** The chart, then every number on it in words: a reader who cannot see the picture misses nothing. */
export function movementChartBlocks(history: MovementHistory, source: SlackImageSource | undefined): SlackBlock[] {
  // Segment names are customer data: escaped even in alt text, so nothing in the post can read as a mention.
  const lines = movementChartLines(history).map((line) => escapeMrkdwn(line));
  const title = movementChartTitle(history);
  const image: SlackBlock[] = source
    ? [
        {
          type: 'image',
          ...source,
          // No block title: the picture carries its own, and the words below repeat it.
          alt_text: fitText(`${title}. ${lines.join('. ')}`, altTextLimit),
        } as SlackBlock,
      ]
    : [];
  return [...image, context(`*${title}*\n${lines.join('\n')}`)];
}

/** Segments shown in the main post; the rest go to the thread so leaders see the biggest movements first. */
export const segmentsInMainPost = 8;

const mrkdwn = (text: string, max: number = blockKitLimits.sectionText) => ({
  type: 'mrkdwn' as const,
  text: fitText(text, max),
});
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(text) });
const context = (text: string): SlackBlock => ({ type: 'context', elements: [mrkdwn(text)] });

function tallyWords(tally: Tally, format: NumberFormat, beside = ''): string {
  return tally.customers
    ? `*${tally.customers}* · ${formatMoney(tally.value, format)}${beside ? ` · ${beside}` : ''}`
    : '*0*';
}

function reasonsWords(line: AssetLine): string {
  return line.topLostReasons.map((reason) => `${escapeMrkdwn(reason.reason)} (${reason.customers})`).join(', ');
}

function totalsBlocks(report: CustomerAssetReport, format: NumberFormat): SlackBlock[] {
  const line = report.total;
  const field = (label: string, read: (movement: Movement) => Tally, beside = '') =>
    mrkdwn(
      `*${label}*\n${tallyWords(read(line.current), format, beside)}\n_${comparedWords(
        report.comparisons,
        line.compared.map((movement) => read(movement).customers),
      )}_`,
      blockKitLimits.fieldText,
    );
  const net = mrkdwn(
    `*Net change*\n*${formatSignedCount(line.current.netCustomers)}* customers · ${formatSignedMoney(line.current.netValue, format)}\n_${comparedWords(
      report.comparisons,
      line.compared.map((movement) => formatSignedCount(movement.netCustomers)),
    )}_`,
    blockKitLimits.fieldText,
  );
  const fields = [
    field('Customers won', (movement) => movement.won, projectedWords(line.life, line.current.won.customers, format)),
    field('Customers lost', (movement) => movement.lost),
    field('Came back', (movement) => movement.reactivated),
    net,
    field('Bought more', (movement) => movement.expanded),
    field('Pulled back', (movement) => movement.contracted),
    field('Referred others', (movement) => movement.referrals),
  ];
  const blocks: SlackBlock[] = [
    section('*The whole company*'),
    { type: 'section', fields: fields.slice(0, blockKitLimits.fieldsPerSection) },
    section(lifeLines(report, (words) => `*${words}*`).join('\n')),
  ];
  if (line.topLostReasons.length) blocks.push(context(`Why customers left: ${reasonsWords(line)}`));
  return blocks;
}

function segmentText(line: AssetLine, labels: string[], format: NumberFormat, tiersNamed: boolean): string {
  const week = line.current;
  const parts = [
    `won ${week.won.customers} (${[formatMoney(week.won.value, format), projectedWords(line.life, week.won.customers, format)].filter(Boolean).join(', ')})`,
    `lost ${week.lost.customers} (${formatMoney(week.lost.value, format)})`,
    week.reactivated.customers ? `came back ${week.reactivated.customers}` : '',
    `net *${formatSignedCount(week.netCustomers)}* · ${formatSignedMoney(week.netValue, format)}`,
    week.expanded.customers
      ? `bought more ${week.expanded.customers} (${formatSignedMoney(week.expanded.value, format)})`
      : '',
    week.contracted.customers
      ? `pulled back ${week.contracted.customers} (${formatSignedMoney(-week.contracted.value, format)})`
      : '',
    week.referrals.customers ? `referred others ${week.referrals.customers}` : '',
    ...lifeParts(line.life, tiersNamed),
  ].filter(Boolean);
  const reasons = line.topLostReasons.length ? `\n_Why they left: ${reasonsWords(line)}_` : '';
  const trend = `\n_Net: ${comparedWords(
    labels,
    line.compared.map((movement) => formatSignedCount(movement.netCustomers)),
  )}_`;
  return `*${escapeMrkdwn(line.segment ?? '')}*  ${parts.join(' · ')}${reasons}${trend}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

interface Rendered {
  main: SlackBlock[];
  replies: SlackMessage[];
}

function customerAssetMessages(report: CustomerAssetReport, format: NumberFormat): Rendered {
  const main: SlackBlock[] = [{ type: 'divider' }, ...totalsBlocks(report, format)];
  if (!report.segments.length) return { main, replies: [] };
  const shown = report.segments.slice(0, segmentsInMainPost);
  const rest = report.segments.slice(segmentsInMainPost);
  main.push(
    { type: 'divider' },
    section(`*By segment* (${report.segments.length} with movement, busiest first)`),
    ...shown.map((line) => section(segmentText(line, report.comparisons, format, report.tiersNamed))),
  );
  if (rest.length)
    main.push(context(`…and ${rest.length} more ${rest.length === 1 ? 'segment' : 'segments'} in the thread.`));
  // One heading block per reply leaves room for the segments under the 50-block limit.
  const replies = chunks(rest, blockKitLimits.blocksPerMessage - 1).map((lines, index, all) => ({
    text: `More segments (${index + 1} of ${all.length})`,
    blocks: [
      context(`More segments (${index + 1} of ${all.length})`),
      ...lines.map((line) => section(segmentText(line, report.comparisons, format, report.tiersNamed))),
    ],
  }));
  return { main, replies };
}

function countWords(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function issueText(line: IssueLine, labels: string[]): string {
  const trend = `_${comparedWords(labels, line.compared)}_`;
  const converging = line.converging ? ` · :twisted_rightwards_arrows: ${line.converging}` : '';
  return `• *#${line.number}* ${escapeMrkdwn(line.title)} (${escapeMrkdwn(line.categoryName)}): *${countWords(line.current, 'report', 'reports')}* ${trend}${converging}${line.status === 'resolved' ? ' · :white_check_mark: resolved' : ''}`;
}

function listeningMessages(report: ListeningReport, digest: Digest): Rendered {
  const { current, previous } = digest.words;
  const heading = section(
    `*What customers told us* · ${countWords(report.reports, 'report', 'reports')} ${current} (${previous} ${report.previous})${report.unsorted ? ` · ${report.unsorted} not yet sorted into a stage` : ''}`,
  );
  if (!report.stages.length)
    return {
      main: [
        { type: 'divider' },
        heading,
        context(`No feedback was logged ${current}. \`/feedback\` is how the frontline tells us what customers say.`),
      ],
      replies: [],
    };
  const stages = report.stages.map((stage) => {
    const more = stage.moreIssues ? `\n_…and ${countWords(stage.moreIssues, 'more issue', 'more issues')}_` : '';
    const lines = stage.issues.length
      ? stage.issues.map((line) => issueText(line, digest.comparisons)).join('\n')
      : `_Nothing new ${current}._`;
    return section(
      `*${escapeMrkdwn(stage.stageName)}* · ${countWords(stage.reports, 'report', 'reports')} (${previous} ${stage.previous})\n${lines}${more}`,
    );
  });
  return { main: [{ type: 'divider' }, heading, ...stages], replies: [] };
}

function verbatimMessages(verbatims: Verbatim[]): Rendered {
  const quotes = verbatims.map(
    (verbatim) =>
      `>${escapeMrkdwn(verbatim.text)}\n— ${escapeMrkdwn(verbatim.attribution)} · ${escapeMrkdwn(verbatim.stageName)}, issue #${verbatim.issueNumber}`,
  );
  return { main: [section('*In their words*'), ...quotes.map((quote) => section(quote))], replies: [] };
}

function hopeMessages(week: HopeReport): Rendered {
  const summary = `*What we fixed* · ${countWords(week.fixes.length, 'issue resolved', 'issues resolved')} · ${countWords(week.reportersTold, 'reporter told', 'reporters told')}${week.reopened ? ` · ${countWords(week.reopened, 'fix reopened', 'fixes reopened')} by new feedback` : ''}`;
  const fixes = week.fixes
    .slice(0, 5)
    .map((fix) => `• *#${fix.number}* ${escapeMrkdwn(fix.title)}: ${escapeMrkdwn(fix.whatChanged)}`);
  const more = week.fixes.length > 5 ? `\n_…and ${week.fixes.length - 5} more_` : '';
  return { main: [section(fixes.length ? `${summary}\n${fixes.join('\n')}${more}` : summary)], replies: [] };
}

function departuresMessages(report: DeparturesReport, digest: Digest): Rendered {
  const format = digest.format;
  const reasons = report.reasons
    .slice(0, 8)
    .map(
      (line) =>
        `• ${escapeMrkdwn(line.reason)}${line.stageName ? ` (${escapeMrkdwn(line.stageName)})` : ''}: *${countWords(line.customers, 'customer', 'customers')}* · ${formatMoney(line.value, format)}`,
    );
  const more = report.reasons.length > 8 ? `\n_…and ${report.reasons.length - 8} more reasons_` : '';
  return {
    main: [
      { type: 'divider' },
      section(
        `*Why customers left* · ${countWords(report.calls, 'lost customer', 'lost customers')} reached by phone ${digest.words.current}\n${reasons.join('\n')}${more}`,
      ),
      ...report.stories.map((story) => section(`>${escapeMrkdwn(story)}`)),
    ],
    replies: [],
  };
}

function sectionMessages(digestSection: DigestSection, digest: Digest, images: DigestImages): Rendered {
  switch (digestSection.kind) {
    case 'headline':
      return {
        main: [
          {
            type: 'header',
            text: { type: 'plain_text', text: fitText(digestSection.question, blockKitLimits.headerText) },
          },
          section(`*${escapeMrkdwn(digestSection.answer)}*`),
          context(`Customer asset digest · ${escapeMrkdwn(digest.title)} · whole customers, never rates`),
        ],
        replies: [],
      };
    case 'customerAsset':
      return customerAssetMessages(digestSection.report, digest.format);
    case 'movementChart':
      return { main: movementChartBlocks(digestSection.history, images.movementChart), replies: [] };
    case 'departures':
      return departuresMessages(digestSection.report, digest);
    case 'listening':
      return listeningMessages(digestSection.report, digest);
    case 'verbatims':
      return verbatimMessages(digestSection.verbatims);
    case 'hope':
      return hopeMessages(digestSection.report);
    case 'earlyWarning':
      return {
        main: [
          section(
            `*Early warning*\n${earlyWarningLines(digestSection.warnings, escapeMrkdwn)
              .map((line) => `• ${line}`)
              .join('\n')}`,
          ),
        ],
        replies: [],
      };
    case 'priorities':
      return {
        main: [
          { type: 'divider' },
          // One block, so the priorities are never the part cut when a busy week fills the post.
          section(
            [
              '*Priorities* · complaints a week against the baseline before each started',
              ...digestSection.standings.slice(0, 10).map(standingText),
            ].join('\n\n'),
          ),
        ],
        replies: [],
      };
  }
}

/** The digest as Slack messages: the first is the post, the others are replies in its thread. */
export function digestToSlack(digest: Digest, images: DigestImages = {}): SlackMessage[] {
  const parts = digest.sections.map((digestSection) => sectionMessages(digestSection, digest, images));
  const headline = digest.sections.find((digestSection) => digestSection.kind === 'headline');
  const main: SlackMessage = {
    // The notification text is plain, so customer-provided words cannot format it either.
    text: escapeMrkdwn(
      headline?.kind === 'headline'
        ? `${headline.question} ${headline.answer}`
        : `Customer asset digest, ${digest.title}`,
    ),
    blocks: parts.flatMap((part) => part.main).slice(0, blockKitLimits.blocksPerMessage),
  };
  return [main, ...parts.flatMap((part) => part.replies)];
}
