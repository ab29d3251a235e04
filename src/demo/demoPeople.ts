// The people of the demo workspace: who logged the demo feedback, who calls lost customers,
// and the three roles a visitor of the playground can try the bot as.
import type { Person } from '../domain/people.js';
import type { Db } from '../store/database.js';

export interface DemoPerson extends Person {
  name: string;
  role: 'cco' | 'leader' | 'staff';
}

export const demoCco: DemoPerson = { platform: 'slack', userId: 'UDEMOCCO', name: 'Camille Okafor', role: 'cco' };
export const demoLeader: DemoPerson = { platform: 'slack', userId: 'UDEMOLEAD', name: 'Dana Reyes', role: 'leader' };
/** Logged some of the demo feedback and has lost customers to call, so thanks and a call list reach them. */
export const demoStaff: DemoPerson = { platform: 'slack', userId: 'UDEMO0', name: 'Sam Patel', role: 'staff' };
const otherStaff: DemoPerson[] = [
  { platform: 'slack', userId: 'UDEMO1', name: 'Alex Moreau', role: 'staff' },
  { platform: 'slack', userId: 'UDEMO2', name: 'Priya Shah', role: 'staff' },
  { platform: 'slack', userId: 'UDEMO3', name: 'Jonas Berg', role: 'staff' },
];

export const demoPeople: DemoPerson[] = [demoCco, demoLeader, demoStaff, ...otherStaff];

/** The same three in the playground's Teams chat; Teams names people by their Entra object id. */
export const demoTeamsPeople: DemoPerson[] = [
  { platform: 'teams', userId: '00000000-0000-4000-8000-0000000000c0', name: 'Camille Okafor', role: 'cco' },
  { platform: 'teams', userId: '00000000-0000-4000-8000-0000000000d0', name: 'Dana Reyes', role: 'leader' },
  { platform: 'teams', userId: '00000000-0000-4000-8000-0000000000e0', name: 'Sam Patel', role: 'staff' },
];

/** The channel that hears "you told us, we changed it". */
export const demoAnnouncements = { platform: 'slack', channelId: 'CDEMOANNOUNCE', name: 'announcements' } as const;

/** The CCO and the leader, given their roles once; a role someone changed since is left as it is. */
export async function loadDemoRoles(db: Db): Promise<void> {
  for (const person of [demoCco, demoLeader, ...demoTeamsPeople.filter((person) => person.role !== 'staff')]) {
    await db.role.upsert({
      where: { platform_userId: { platform: person.platform, userId: person.userId } },
      create: { platform: person.platform, userId: person.userId, role: person.role, grantedBy: 'demo' },
      update: {},
    });
  }
}
