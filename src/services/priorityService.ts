// Priorities and the customer room: adding one (the CCO or a leader), marking one done once
// its complaints have stayed down (announced as marketing hope through the outbox), the
// weeks that takes (the CCO), and the customer room's agenda. The rules and words are in
// src/domain/priorities.ts and customerRoom.ts; this wires them to the database.
import { customerRoomAgenda, type CustomerRoomAgenda } from '../domain/customerRoomAgenda.js';
import type { DigestSettings, DigestStore } from '../domain/digest.js';
import { notAllowed, type Refusal } from '../domain/outcome.js';
import { commandFor, type People, type Person } from '../domain/people.js';
import {
  addPriority,
  listPriorities,
  markPriorityDone,
  priorityForm,
  priorityStandings,
  setQuietWeeks,
  type PriorityDeps,
  type PriorityStore,
} from '../domain/priorities.js';
import { describePeriod, parsePeriod, periodJustEnded } from '../domain/periods.js';
import { localDate } from '../domain/weeks.js';

export interface PriorityServiceDeps {
  priorities: PriorityStore;
  digests: DigestStore;
  people: People;
  settings: DigestSettings;
  thenSend: <T extends { ok: boolean }>(result: T) => T;
  clock: () => Date;
}

export type CustomerRoom =
  | { ok: true; agenda: CustomerRoomAgenda }
  | Refusal<'notAllowed' | 'badPeriod' | 'notStarted', 'period'>;

export function createPriorityService(deps: PriorityServiceDeps) {
  const { people, settings, clock } = deps;
  const domain: PriorityDeps = {
    store: deps.priorities,
    people,
    clock,
    timeZone: settings.timeZone,
    locale: settings.locale,
  };
  return {
    /** Anyone may read the priorities and how each stands. */
    listPriorities: () => listPriorities(domain),
    /** What the add form offers (prefilled from a warning when one is named), or why it will not open. */
    priorityForm: (by: Person, warningId?: string) => priorityForm(domain, by, warningId),
    addPriority: (by: Person, input: unknown) => addPriority(domain, by, input),
    markPriorityDone: async (by: Person, number: number) => deps.thenSend(await markPriorityDone(domain, by, number)),
    setPriorityWeeks: (by: Person, number: number, weeks: number) => setQuietWeeks(domain, by, number, weeks),
    /** Each priority with its progress as of `asOf`: for the State of the Customer and anything else that tells it. */
    priorityStandings: (asOf: Date = clock()) => priorityStandings(deps.priorities, asOf, settings.timeZone),
    /** The agenda for the next customer room meeting, about the week just ended or the period typed. */
    customerRoom: async (by: Person, periodText = ''): Promise<CustomerRoom> => {
      const permission = await people.may(by, 'postCustomerRoom');
      if (!permission.allowed) return notAllowed(permission);
      const typed = periodText.trim();
      const period = typed
        ? parsePeriod(typed, clock(), settings.timeZone)
        : periodJustEnded('week', clock(), settings.timeZone);
      if (!period)
        return {
          ok: false,
          code: 'badPeriod',
          field: 'period',
          message: `“${typed.slice(0, 40)}” is not a period I know. Try week, month, quarter or year (the last one that ended), or one by name: a Monday such as 2026-11-16 for its week, 2026-10, 2026-Q3 or 2026, as in ${commandFor(by.platform, 'customer-room 2026-Q3')}. Nothing was posted.`,
        };
      if (period.start > localDate(clock(), settings.timeZone))
        return {
          ok: false,
          code: 'notStarted',
          field: 'period',
          message: `${describePeriod(period, settings.locale)} has not started yet, so there is nothing to meet about. Nothing was posted.`,
        };
      return { ok: true, agenda: await customerRoomAgenda(deps.digests, period, settings) };
    },
  };
}

export type PriorityService = ReturnType<typeof createPriorityService>;
