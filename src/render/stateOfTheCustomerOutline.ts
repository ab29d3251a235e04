// The State of the Customer as an outline of sections and lines, written once and drawn four
// ways (Slack, Teams, the page, the PDF). Each piece of a line says whether it is our words,
// our emphasis, or words that came from customers or staff, so every drawing escapes exactly
// the pieces it must for its own format.
import type { Movement } from '../domain/assets.js';
import { customers, formatMoney, formatSignedCount, formatSignedMoney, type NumberFormat } from '../domain/numbers.js';
import { perWeek } from '../domain/priorities.js';
import {
  daysOpen,
  lossWords,
  type AssetLine,
  type LingeringIssue,
  type StateOfTheCustomer,
} from '../domain/stateOfTheCustomer.js';

/** Our own words, our emphasis (`strong`), or words someone else wrote (`user`), always escaped. */
export type Piece = string | { strong: string } | { user: string; strong?: true };
export type Line = Piece[];

export interface OutlineSection {
  heading: string;
  lines: Line[];
  /** Lines left out of a summary, for "and 4 more in the full report". */
  more: number;
}

export interface Outline {
  title: string;
  question: string;
  answer: string;
  sections: OutlineSection[];
}

/** Lines per section in the chat summary; the page and the PDF carry every line. */
export const summaryLines = 3;

const plural = (count: number, word: string) => `${count} ${count === 1 ? word : `${word}s`}`;
const user = (text: string): Piece => ({ user: text });
const strong = (text: string): Piece => ({ strong: text });

function assetLine(name: Piece, movement: Movement, format: NumberFormat): Line {
  return [
    name,
    `: won ${movement.won.customers} (${formatMoney(movement.won.value, format)}), lost ${movement.lost.customers} (${formatMoney(movement.lost.value, format)})`,
    movement.reactivated.customers ? `, came back ${movement.reactivated.customers}` : '',
    ', net ',
    strong(
      `${formatSignedCount(movement.netCustomers)} ${Math.abs(movement.netCustomers) === 1 ? 'customer' : 'customers'}`,
    ),
    `, ${formatSignedMoney(movement.netValue, format)}`,
  ];
}

const named = (line: AssetLine): Piece => ({ user: line.name, strong: true });

function lingeringLine(issue: LingeringIssue, now: Date, what: 'age' | 'reports'): Line {
  const figures =
    what === 'age'
      ? `open ${plural(daysOpen(issue.openedAt, now), 'day')}, ${plural(issue.reports, 'report')} in the period`
      : `${plural(issue.reports, 'report')} in the period, open ${plural(daysOpen(issue.openedAt, now), 'day')}`;
  return [strong(`#${issue.number}`), ' ', user(issue.title), ' (', user(issue.stage), `): ${figures}`];
}

function section(heading: string, lines: Line[], full: boolean, empty: string): OutlineSection {
  if (!lines.length) return { heading, lines: [[empty]], more: 0 };
  const shown = full ? lines : lines.slice(0, summaryLines);
  return { heading, lines: shown, more: lines.length - shown.length };
}

/** The report as an outline: `full` for the page and the PDF, otherwise the chat summary. */
export function stateOfTheCustomerOutline(report: StateOfTheCustomer, now: Date, full: boolean): Outline {
  const format = report.format;
  const sections: OutlineSection[] = [];
  sections.push({
    heading: 'The customer asset',
    lines: [assetLine(strong('The whole company'), report.total, format)],
    more: 0,
  });
  sections.push(
    section(
      'By segment',
      report.bySegment.map((line) => assetLine(named(line), line.movement, format)),
      full,
      'No customer movements in this period.',
    ),
  );
  sections.push(
    section(
      'By market area',
      report.byMarketArea.map((line) => assetLine(named(line), line.movement, format)),
      full,
      'No customer movements in this period.',
    ),
  );
  sections.push(
    section(
      'What improved',
      report.improved.map((issue) => [
        strong(`#${issue.number}`),
        ' ',
        user(issue.title),
        ' (',
        user(issue.stage),
        `): ${plural(issue.complaintsBefore, 'complaint')} in the 4 weeks before it was resolved, ${issue.complaintsAfter} in the ${plural(Math.floor(issue.daysAfter), 'day')} since. What changed: `,
        user(issue.whatChanged),
      ]),
      full,
      'No issue resolved in this period has kept its complaints down yet.',
    ),
  );
  sections.push(
    section(
      'Lingering issues: open longest',
      report.longestOpen.map((issue) => lingeringLine(issue, now, 'age')),
      full,
      'No open issues.',
    ),
  );
  sections.push(
    section(
      'Lingering issues: most reported',
      report.mostReported.map((issue) => lingeringLine(issue, now, 'reports')),
      full,
      'No open issue was reported in this period.',
    ),
  );
  const areaLines: Line[] = report.topProblemsByArea.map((area) => [
    { user: area.marketArea, strong: true },
    `, ${plural(area.complaints, 'complaint')}: `,
    ...area.problems.flatMap((problem, index): Piece[] => [
      index ? '; ' : '',
      `${index + 1}. #${problem.number} `,
      user(problem.title),
      ` (${problem.complaints})`,
    ]),
  ]);
  sections.push(section('Top five problems by market area', areaLines, full, 'No complaints in this period.'));
  const success = report.biggestSuccess;
  sections.push({
    heading: 'The biggest success',
    lines: [
      success
        ? [
            'Complaints about ',
            strong(`#${success.number}`),
            ' ',
            user(success.title),
            ' (',
            user(success.stage),
            `) fell from ${success.from} in ${report.previousLabel} to `,
            strong(String(success.to)),
            '.',
          ]
        : [`No issue’s complaints fell against ${report.previousLabel}.`],
    ],
    more: 0,
  });
  const reasons = section(
    'Losses and their reasons',
    report.losses.reasons.map((reason) => [
      user(reason.reason),
      `: ${customers(reason.customers)}, ${formatMoney(reason.value, format)}`,
    ]),
    full,
    'No customers lost.',
  );
  if (report.losses.customers) reasons.lines.unshift([lossWords(report)]);
  sections.push(reasons);
  sections.push(
    section(
      'Priorities',
      report.priorities.map((priority) => [
        { user: priority.title, strong: true },
        ' (',
        user(priority.owner.name ?? 'owner not named'),
        `): ${perWeek(priority.baseline)} complaints a week before it started, ${priority.weeks.at(-1)?.complaints ?? priority.thisWeekSoFar} last week; `,
        priority.done
          ? 'done'
          : `${priority.weeksBelow} of ${priority.quietWeeks} weeks below the baseline${priority.ready ? ', ready to be marked done' : ''}`,
      ]),
      full,
      'No priorities are set.',
    ),
  );
  return {
    title: `The State of the Customer, ${report.periodLabel}`,
    question: report.question,
    answer: report.answer,
    sections,
  };
}
