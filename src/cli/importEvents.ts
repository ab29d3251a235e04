// npm run import -- events.csv: loads customer events from a CSV file with a header row
// naming the same fields as the HTTP API. Valid rows are stored, refused rows are listed
// by line number, and importing the same file twice stores each event once.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../config.js';
import { createServices } from '../services.js';
import { FolderInUse, openDatabase, type Database } from '../store/database.js';

async function importEvents(file: string | undefined): Promise<number> {
  if (!file) {
    console.error('usage: npm run import -- events.csv\nColumns: external_id, customer_id, customer_name, segment, kind, value, occurred_at, reason, verbatim');
    return 2;
  }
  let rows: Record<string, string>[];
  try {
    rows = parse(await readFile(file, 'utf8'), { columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    console.error(`Could not read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const config = loadConfig();
  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  } catch (error) {
    if (!(error instanceof FolderInUse)) throw error;
    console.error(
      `Nothing was imported: the embedded database in ${error.folder} is open in pid ${error.holder.pid} (${error.holder.command}) since ${error.holder.since}, and only one process can use it at a time.\n` +
        'Stop the bot first, run the import again, then start the bot; or, while the bot runs, send the rows to its customer events API (POST /api/customer-events, see the README).',
    );
    return 1;
  }
  try {
    const services = createServices(database.prisma, config);
    // Row 1 is the header, so the first event is row 2, as a spreadsheet numbers it.
    const result = await services.recordCustomerEvents(rows, 2);
    for (const rejected of result.rejected) console.error(`row ${rejected.row}: ${rejected.reason}`);
    console.log(`${file}: ${result.stored} new events stored, ${result.duplicates} already stored, ${result.rejected.length} rows refused.`);
    return result.rejected.length ? 1 : 0;
  } finally {
    await database.close();
  }
}

// The schema engine's glue leaves a 10-second timer behind after migrating; a finished command should not wait for it.
process.exit(await importEvents(process.argv[2]));
