// Opens the database: real PostgreSQL when DATABASE_URL is set, otherwise an embedded
// PGlite folder, so a fresh clone runs with no server. Both get the same migrations.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { lockFolder, type FolderHolder } from './folderLock.js';
import { PrismaClient } from './generated/client.js';
import { applyMigrations } from './schemaEngine.js';

export { FolderInUse } from './folderLock.js';

export type Db = PrismaClient;

// Prisma's defaults (2 s to get a connection, 5 s per transaction) fail a busy 2-core host's
// short transactions outright; waiting a little longer is better than refusing someone's work.
const transactionOptions = { maxWait: 15_000, timeout: 30_000 };

export interface Database {
  prisma: Db;
  kind: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  pgliteDir: string;
  /** Told when a lock left by a process that died is taken over. */
  onStaleLock?: (stale: FolderHolder | undefined) => void;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) {
    const adapter = new PrismaPg({ connectionString: options.databaseUrl });
    await applyMigrations(adapter as SqlMigrationAwareDriverAdapterFactory);
    const prisma = new PrismaClient({ adapter, transactionOptions });
    return { prisma, kind: 'postgresql', close: () => prisma.$disconnect() };
  }
  const inMemory = options.pgliteDir.startsWith('memory://');
  if (!inMemory) await mkdir(options.pgliteDir, { recursive: true });
  // Before PGlite touches a file: a second process in the same folder is refused, not let in to corrupt it.
  const lock = inMemory ? undefined : await lockFolder(options.pgliteDir, options.onStaleLock);
  let pglite: PGlite | undefined;
  try {
    pglite = new PGlite(options.pgliteDir);
    const adapter = new PrismaPGlite(pglite);
    await applyMigrations(adapter);
    const prisma = new PrismaClient({ adapter, transactionOptions });
    const opened = pglite;
    return {
      prisma,
      kind: 'pglite',
      // PGlite keeps the event loop alive until it is closed.
      close: async () => {
        await prisma.$disconnect();
        await opened.close();
        await lock?.release();
      },
    };
  } catch (error) {
    await pglite?.close().catch(() => {});
    await lock?.release();
    throw error;
  }
}
