// The customer room behind the Slack Home tab and the Teams `home` card: composed fresh
// each time it is asked for, so it always shows the week just ended and the caller's calls now.
import {
  customerRoom,
  type CustomerRoom,
  type CustomerRoomStore,
  type PrioritiesSource,
} from '../domain/customerRoom.js';
import type { Person } from '../domain/people.js';
import { periodJustEnded } from '../domain/periods.js';

export type { PrioritiesSource, RoomPriority } from '../domain/customerRoom.js';

export interface HomeServiceDeps {
  store: CustomerRoomStore;
  settings: { timeZone: string; locale: string; currency: string };
  clock: () => Date;
  priorities: PrioritiesSource;
}

export function createHomeService(deps: HomeServiceDeps) {
  return {
    /** Anyone may open the room; only their own calls are in it. */
    homeRoom: (person: Person): Promise<CustomerRoom> =>
      customerRoom(
        deps.store,
        person,
        periodJustEnded('week', deps.clock(), deps.settings.timeZone),
        deps.settings,
        deps.priorities,
      ),
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
