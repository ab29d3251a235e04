import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { pendingSchemaChanges, readMigrations } from '../../src/store/schemaEngine.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

describe('migrations', () => {
  it('match prisma/schema.prisma (no pending changes)', async () => {
    const pglite = new PGlite('memory://');
    try {
      expect(await pendingSchemaChanges(new PrismaPGlite(pglite))).toBe('');
    } finally {
      await pglite.close();
    }
  });

  describe('on a real PostgreSQL', () => {
    let db: TestDatabase | undefined;
    afterAll(() => db?.drop());

    it('migrate a new database, and opening it again applies nothing', async () => {
      db = await freshDatabase();
      const { prisma, kind } = db.database;
      expect(kind).toBe('postgresql');

      const tables = await prisma.$queryRaw<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`;
      expect(tables.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['customer', 'customer_event', 'digest_delivery']),
      );

      const migrationCount = (await readMigrations()).migrationDirectories.length;
      expect(migrationCount).toBeGreaterThan(0);
      const applied = async () => {
        const rows = await prisma.$queryRaw<{ count: number }[]>`
          SELECT count(*)::int AS count FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
        return rows[0]?.count;
      };
      const total = async () =>
        (await prisma.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM _prisma_migrations`)[0]?.count;
      expect(await applied()).toBe(migrationCount);

      const again = await openDatabase({ databaseUrl: db.url, pgliteDir: 'unused' });
      await again.close();
      expect(await total()).toBe(migrationCount);
      expect(await applied()).toBe(migrationCount);
    });
  });
});
