import type { Person, Platform, RoleName, RoleStore } from '../domain/people.js';
import type { Db } from './database.js';

export function roleStore(db: Db): RoleStore {
  return {
    async storedRole(person: Person) {
      const row = await db.role.findUnique({ where: { platform_userId: { platform: person.platform, userId: person.userId } } });
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
      const count = await db.role.count({ where: { platform, role: 'cco', ...(exceptUserId ? { userId: { not: exceptUserId } } : {}) } });
      return count > 0;
    },
  };
}
