// What the customer room reads: the digest's own aggregates, open issues, and one person's
// open calls across the active campaigns of their platform.
import type { CustomerRoomStore, RoomCall } from '../domain/customerRoom.js';
import type { Person } from '../domain/people.js';
import { customerAssetStore } from './customerAssetStore.js';
import type { Db } from './database.js';
import { issueStore } from './issueStore.js';
import { movementHistoryStore } from './movementHistoryStore.js';
import { earlyWarningStore } from './warningStore.js';

export function customerRoomStore(db: Db): CustomerRoomStore {
  const issues = issueStore(db);
  return {
    ...customerAssetStore(db),
    ...movementHistoryStore(db),
    ...earlyWarningStore(db),
    openIssues: (limit) => issues.openIssues(limit),
    async openCallsFor(person: Person, limit: number): Promise<RoomCall[]> {
      const rows = await db.campaignCall.findMany({
        where: {
          callerId: person.userId,
          status: 'open',
          campaign: { platform: person.platform, status: 'active' },
        },
        orderBy: [{ valueLost: 'desc' }, { id: 'asc' }],
        take: limit,
        include: {
          customer: { select: { name: true, contact: true } },
          campaign: { select: { number: true, name: true, dueOn: true } },
        },
      });
      return rows.map((row) => ({
        callId: row.id,
        customerName: row.customer.name,
        segment: row.segment,
        valueLost: Number(row.valueLost),
        lostAt: row.lostAt.toISOString(),
        contact: row.customer.contact,
        status: row.status,
        reason: null,
        campaignNumber: row.campaign.number,
        campaignName: row.campaign.name,
        dueOn: row.campaign.dueOn.toISOString().slice(0, 10),
      }));
    },
  };
}
