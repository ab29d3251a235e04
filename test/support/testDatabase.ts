// A new, migrated database on the test run's PostgreSQL server (see globalSetup.ts).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';

export interface TestDatabase {
  url: string;
  database: Database;
  /** Closes the database and drops it from the server. */
  drop(): Promise<void>;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(name: string): string {
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

export async function freshDatabase(): Promise<TestDatabase> {
  const name = `test_${process.pid}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = databaseUrl(name);
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: url, pgliteDir: 'unused' });
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  let dropped = false;
  return {
    url,
    database,
    async drop() {
      if (dropped) return;
      dropped = true;
      try {
        await database.close();
      } finally {
        await dropDatabase(name);
      }
    },
  };
}

async function dropDatabase(name: string): Promise<void> {
  await asAdmin(async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  });
}
