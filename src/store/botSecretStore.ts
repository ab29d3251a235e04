// Secrets the bot generates for itself and keeps in the database, the one thing every
// process of a deployment shares.
import { randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/**
 * The secret called `name`: made once (32 random bytes) and inserted if absent. Two
 * processes starting together both insert; the database keeps one and both read that one.
 */
export async function botSecret(db: Db, name: string): Promise<string> {
  await db.botSecret.createMany({
    data: [{ name, value: randomBytes(32).toString('base64url') }],
    skipDuplicates: true,
  });
  const row = await db.botSecret.findUniqueOrThrow({ where: { name } });
  return row.value;
}
