import type { Person, Platform, RoleName, RoleStore } from '../domain/people.js';
import type { Db } from './database.js';

/** One lock for every `cco claim`, whatever the platform: claims queue on it, so only the first finds no CCO. */
const ccoClaimLock = 'cco-claim';

export function roleStore(db: Db): RoleStore {
  return {
    async storedRole(person: Person) {
      const row = await db.role.findUnique({
        where: { platform_userId: { platform: person.platform, userId: person.userId } },
      });
      return row?.role ?? null;
    },
    async setRole(person: Person, role: RoleName, grantedBy: string) {
      await db.role.upsert({
        where: { platform_userId: { platform: person.platform, userId: person.userId } },
        create: { platform: person.platform, userId: person.userId, role, grantedBy },
        update: { role, grantedBy, grantedAt: new Date() },
      });
    },
    async hasAnyCco(platform: Platform, exceptUserId?: string) {
      const count = await db.role.count({
        where: { platform, role: 'cco', ...(exceptUserId ? { userId: { not: exceptUserId } } : {}) },
      });
      return count > 0;
    },
    async claimFirstCco(person: Person) {
      // Check and insert under a transaction-scoped advisory lock: a plain check-then-insert lets ten simultaneous claims all win.
      return db.$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ccoClaimLock}))`;
          const holder = await tx.role.findFirst({
            where: { role: 'cco' },
            orderBy: { grantedAt: 'asc' },
            select: { platform: true, userId: true },
          });
          if (holder) return { claimed: false as const, holder };
          await tx.role.upsert({
            where: { platform_userId: { platform: person.platform, userId: person.userId } },
            create: { platform: person.platform, userId: person.userId, role: 'cco', grantedBy: person.userId },
            update: { role: 'cco', grantedBy: person.userId, grantedAt: new Date() },
          });
          return { claimed: true as const };
        },
        // Claims wait for each other on the lock; the defaults (2 s to start, 5 s to finish) are too short for a burst under load.
        { maxWait: 30_000, timeout: 30_000 },
      );
    },
  };
}
