// Offline stand-in for `prisma migrate dev --create-only`: writes the SQL that brings
// prisma/migrations up to schema.prisma into a new migration folder.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { migrationsDir, pendingSchemaChanges } from '../src/store/schemaEngine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -- <snake_case_name>');
  process.exit(2);
}
const pglite = new PGlite('memory://');
try {
  const sql = await pendingSchemaChanges(new PrismaPGlite(pglite));
  if (!sql) {
    console.log('schema.prisma and prisma/migrations already match: nothing to write.');
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'migration.sql'), `${sql}\n`);
    console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await pglite.close();
}
