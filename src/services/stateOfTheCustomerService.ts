// The State of the Customer: who may post it, which period a person meant, and the private,
// expiring links to the full report (the digest page's signed links, for another path).
import { digestLinkValidMs, type AnswerAudience } from '../domain/digestLinks.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import {
  lastMonthCharted,
  movementHistory,
  type MovementHistory,
  type MovementHistoryStore,
} from '../domain/movementHistory.js';
import { commandFor, type People, type Person } from '../domain/people.js';
import type { PriorityStanding } from '../domain/priorities.js';
import { describePeriod, hasEnded, parsePeriod, type Period } from '../domain/periods.js';
import {
  composeStateOfTheCustomer,
  type StateOfTheCustomer,
  type StateOfTheCustomerLinkMaker,
  type StateOfTheCustomerSettings,
  type StateOfTheCustomerStore,
} from '../domain/stateOfTheCustomer.js';
import { localDate } from '../domain/weeks.js';
import type { Log } from '../logger.js';

export interface ReportLinks {
  page: string;
  pdf: string;
  expiresAt: Date;
}

export type StateOfTheCustomerAnswer =
  | {
      ok: true;
      report: StateOfTheCustomer;
      /** Only when the answer is seen by the person alone and links can be made. */
      links?: ReportLinks;
      /** About the links: where they are, until when, or why there are none. */
      linkMessage: string;
    }
  | Refusal<'notAllowed' | 'notAPeriod' | 'notStarted'>;

export interface StateOfTheCustomerDeps {
  store: StateOfTheCustomerStore;
  movements: MovementHistoryStore;
  people: People;
  settings: StateOfTheCustomerSettings;
  /** The current priorities with their progress. */
  priorities: () => Promise<PriorityStanding[]>;
  clock: () => Date;
  log: Log;
}

const example = (by: Person) => commandFor(by.platform, 'state-of-the-customer 2026');

export function createStateOfTheCustomerService(deps: StateOfTheCustomerDeps) {
  const { store, people, settings, clock, log } = deps;
  let maker: StateOfTheCustomerLinkMaker | undefined;

  const reportFor = async (period: Period) =>
    composeStateOfTheCustomer(store, period, settings, await deps.priorities());

  const until = (expiresAt: Date) =>
    new Intl.DateTimeFormat(settings.locale, {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: settings.timeZone,
      timeZoneName: 'short',
    }).format(expiresAt);

  return {
    /** The full report of a period named as people type it (`2026`, `2026-Q3`); for the page and the PDF. */
    stateOfTheCustomerPeriod: (name: string) => parsePeriod(name, clock(), settings.timeZone),
    stateOfTheCustomerFor: reportFor,
    /** The picture in the full report: customers won and lost in the 13 months up to the report's last. */
    stateOfTheCustomerChart: (period: Period): Promise<MovementHistory> =>
      movementHistory(
        deps.movements,
        lastMonthCharted(period, localDate(clock(), settings.timeZone)),
        settings.timeZone,
        settings.locale,
      ),
    useStateOfTheCustomerLinks: (links: StateOfTheCustomerLinkMaker) => {
      maker = links;
    },
    /** `/state-of-the-customer [period]`: the report to post, and links when only the person sees the answer. */
    stateOfTheCustomer: async (
      by: Person,
      periodText: string,
      audience: AnswerAudience,
    ): Promise<StateOfTheCustomerAnswer> => {
      const permission = await people.may(by, 'stateOfTheCustomer');
      if (!permission.allowed) return notAllowed(permission);
      const typed = periodText.trim() || 'year';
      const period = parsePeriod(typed, clock(), settings.timeZone);
      if (!period || period.kind === 'week')
        return {
          ok: false,
          code: 'notAPeriod',
          message: `“${typed.slice(0, 40)}” is not a year or a quarter. Try ${example(by)}, ${commandFor(by.platform, 'state-of-the-customer 2026-Q3')}, or ${commandFor(by.platform, 'state-of-the-customer quarter')} for the last complete quarter. Nothing was posted.`,
        };
      if (period.start > localDate(clock(), settings.timeZone))
        return {
          ok: false,
          code: 'notStarted',
          message: `${describePeriod(period, settings.locale)} has not started yet, so there is nothing to report. Nothing was posted.`,
        };
      const report = await reportFor(period);
      if (!hasEnded(period, clock(), settings.timeZone)) report.periodLabel += ' so far';
      if (audience === 'conversation')
        return {
          ok: true,
          report,
          linkMessage: `The full report opens with a private link, which everyone here would see. Ask me in a personal chat: ${commandFor(by.platform, `state-of-the-customer ${period.name}`)}.`,
        };
      if (!maker)
        return {
          ok: true,
          report,
          linkMessage: `No platform is connected, so the full report is open at /state-of-the-customer?period=${period.name} (and .pdf) and needs no link.`,
        };
      const expiresAt = new Date(clock().getTime() + digestLinkValidMs);
      const { page, pdf, onPublicUrl } = maker.links(period, expiresAt);
      log('state of the customer links made', {
        platform: by.platform,
        userId: by.userId,
        period: period.name,
        expiresAt: expiresAt.toISOString(),
      });
      const sentences = [
        `Your private links to the full State of the Customer for ${describePeriod(period, settings.locale)}, as a page and as a PDF for the planning meeting. They work for 24 hours, until ${until(expiresAt)}. Anyone who has them can open the report, so share them only with people who may see customer figures.`,
      ];
      if (!onPublicUrl)
        sentences.push(
          'PUBLIC_URL is not set, so the links use the bot’s own address, which may not open from your browser: ask whoever runs the bot to set PUBLIC_URL.',
        );
      return { ok: true, report, links: { page, pdf, expiresAt }, linkMessage: sentences.join(' ') };
    },
  };
}

export type StateOfTheCustomerService = ReturnType<typeof createStateOfTheCustomerService>;
