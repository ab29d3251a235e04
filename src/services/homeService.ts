// The customer room behind the Slack Home tab and the Teams `home` card: composed fresh
// each time it is asked for, so it always shows the week just ended and the caller's calls now.
import {
  customerRoom,
  type CustomerRoom,
  type CustomerRoomStore,
  type PrioritiesSource,
} from '../domain/customerRoom.js';
import type { Person } from '../domain/people.js';
import { weekJustEnded } from '../domain/weeks.js';

export type { PrioritiesSource, RoomPriority } from '../domain/customerRoom.js';

export interface HomeServiceDeps {
  store: CustomerRoomStore;
  settings: { timeZone: string; locale: string; currency: string };
  clock: () => Date;
  /** The company's priorities, once that capability is wired; the room leaves them out until then. */
  priorities?: PrioritiesSource;
}

export function createHomeService(deps: HomeServiceDeps) {
  let priorities = deps.priorities;
  return {
    /** Anyone may open the room; only their own calls are in it. */
    customerRoom: (person: Person): Promise<CustomerRoom> =>
      customerRoom(deps.store, person, weekJustEnded(deps.clock(), deps.settings.timeZone), deps.settings, priorities),
    /** Wires the priorities into the room (they may be built after the services). */
    usePriorities: (source: PrioritiesSource) => {
      priorities = source;
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
