// How every command-line tool opens the database: the embedded one belongs to one process,
// so while the bot runs a tool says plainly that it did nothing and what to do instead.
import type { Config } from '../config.js';
import { FolderInUse, openDatabase, type Database } from '../store/database.js';

/** The database, or undefined after saying why not (`nothingDone` names what was not done, `instead` the way in while the bot runs). */
export async function openDatabaseForTool(
  config: Config,
  nothingDone: string,
  instead: string,
): Promise<Database | undefined> {
  try {
    return await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  } catch (error) {
    if (!(error instanceof FolderInUse)) throw error;
    console.error(
      `${nothingDone}: the embedded database in ${error.folder} is open in pid ${error.holder.pid} (${error.holder.command}) since ${error.holder.since}, and only one process can use it at a time.\n` +
        `Stop the bot first and run this again. ${instead}`,
    );
    return undefined;
  }
}
