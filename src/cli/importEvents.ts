// npm run import -- events.csv: loads customer events from a CSV file with a header row
// naming the same fields as the HTTP API. The file is streamed in chunks, so memory stays
// flat; every good row is stored, refused rows are listed by line number, and importing
// the same file twice stores each event once.
import pg from 'pg';
import { loadConfig } from '../config.js';
import { maxEventsPerWrite } from '../domain/customerEvents.js';
import { NotUtf8, UnusableHeader } from '../ingest/csvFile.js';
import { csvColumns } from '../ingest/customerEventCsv.js';
import { importCustomerEventCsv, ImportStopped, type ImportSummary } from '../ingest/customerEventImport.js';
import { pgCopyWriter, prismaTransaction, writeCustomerEvents } from '../ingest/customerEventWriter.js';
import { progressReporter } from '../ingest/importProgress.js';
import { unimportableFile } from './importableFile.js';
import { openDatabaseForTool } from './openForTool.js';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

function summaryLine(file: string, summary: ImportSummary): string {
  return `${file}: ${plural(summary.stored, 'new event')} stored, ${summary.duplicates.toLocaleString('en')} already stored, ${plural(summary.refused.length, 'row')} refused.`;
}

async function importEvents(file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`usage: npm run import -- events.csv\nColumns: ${csvColumns.join(', ')}`);
    return 2;
  }
  const unreadable = await unimportableFile(file);
  if (unreadable) {
    console.error(unreadable);
    return 1;
  }
  const config = loadConfig();
  const database = await openDatabaseForTool(
    config,
    'Nothing was imported',
    'Or, while the bot runs, send the rows to its customer events API (POST /api/customer-events, see the README).',
  );
  if (!database) return 1;
  // On a server, COPY straight through pg: a long import should not pay the ORM's per-query work.
  // PGlite has no COPY FROM STDIN; there the same statements run through Prisma's adapter.
  const pool = config.DATABASE_URL ? new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 }) : undefined;
  const copyWriter = pool ? pgCopyWriter(pool) : undefined;
  const transaction = prismaTransaction(database.prisma);
  const progress = progressReporter(process.stderr);
  try {
    const summary = await importCustomerEventCsv(file, {
      write: (events) => (copyWriter ? copyWriter.write(events) : writeCustomerEvents(transaction, events)),
      onProgress: (done) => progress.update(done),
      chunkRows: maxEventsPerWrite,
    });
    progress.done();
    for (const refused of summary.refused) console.log(`line ${refused.row}: ${refused.reason}`);
    console.log(summaryLine(file, summary));
    return summary.refused.length ? 1 : 0;
  } catch (error) {
    progress.done();
    if (error instanceof NotUtf8 || error instanceof UnusableHeader) {
      console.error(`Could not import ${file}: it ${error.message} Nothing was stored.`);
    } else if (error instanceof ImportStopped) {
      for (const refused of error.summary.refused) console.log(`line ${refused.row}: ${refused.reason}`);
      console.log(summaryLine(file, error.summary));
      console.error(
        `The import stopped after line ${error.settledThroughLine}: ${error.failure instanceof Error ? error.failure.message : String(error.failure)}\n` +
          `Everything up to line ${error.settledThroughLine} is stored (or refused above); nothing after it was stored. ` +
          'Importing the same file again is safe: events already stored are recognised by external_id and kept once.',
      );
    } else {
      console.error(`The import failed: ${error instanceof Error ? error.message : String(error)}`);
      console.error(
        'Some chunks may have been stored before the failure. Importing the same file again is safe: events are recognised by external_id and kept once.',
      );
    }
    return 1;
  } finally {
    await copyWriter?.close();
    await pool?.end();
    await database.close();
  }
}

// The schema engine's glue leaves a 10-second timer behind after migrating; a finished command should not wait for it.
process.exit(await importEvents(process.argv[2]));
