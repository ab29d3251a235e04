// npm run import:feedback -- feedback.csv: loads what customers said elsewhere (survey
// exports, support desk tickets, social posts) from a CSV with a header row naming the same
// fields as POST /api/feedback. Read in chunks, so memory stays flat; valid rows are stored
// once by external_id, refused rows are named by line, and the new items are then sorted.
import { loadConfig } from '../config.js';
import { readLanguageFile } from '../languageFile.js';
import { readCsvFile, UnusableHeader } from '../ingest/csvFile.js';
import { createServices } from '../services.js';
import { unimportableFile } from './importableFile.js';
import { openDatabaseForTool } from './openForTool.js';

const columns = ['external_id', 'text', 'source', 'customer_id', 'survey', 'stage', 'category', 'said_at'];
const requiredColumns = columns.slice(0, 3);
/** Rows per insert: one statement each, large enough to be quick, small enough to keep memory flat. */
const chunkRows = 1000;

const progress = (line: string) => process.stderr.write(`${line}\n`);

async function importFeedback(file: string | undefined): Promise<number> {
  if (!file) {
    console.error(
      `usage: npm run import:feedback -- feedback.csv\nColumns: ${columns.join(', ')} (the first three are required)`,
    );
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
    'Or, while the bot runs, send the same items to its feedback API (POST /api/feedback, see the README).',
  );
  if (!database) return 1;
  const totals = { read: 0, stored: 0, duplicates: 0, refused: 0, notes: 0 };
  try {
    const services = createServices(database.prisma, config);
    // As the bot does at start: stage and category hints are matched against the company language.
    await services.loadLanguage(config.LANGUAGE_FILE ? await readLanguageFile(config.LANGUAGE_FILE) : undefined);
    try {
      for await (const chunk of readCsvFile(file, { required: requiredColumns, columns, chunkRows })) {
        for (const refused of chunk.refused) console.log(`line ${refused.row}: refused: ${refused.reason}`);
        const result = await services.recordExternalFeedback(chunk.rows, {
          channel: 'csv',
          rowNumbers: chunk.lines,
          sortInBackground: false,
        });
        for (const rejected of result.rejected) console.log(`line ${rejected.row}: refused: ${rejected.reason}`);
        for (const note of result.notes) console.log(`line ${note.row}: stored, but ${note.note}`);
        totals.read += chunk.rows.length + chunk.refused.length;
        totals.stored += result.stored;
        totals.duplicates += result.duplicates;
        totals.refused += result.rejected.length + chunk.refused.length;
        totals.notes += result.notes.length;
        progress(`${totals.read.toLocaleString('en')} rows read, ${totals.stored.toLocaleString('en')} stored`);
      }
    } catch (error) {
      // Only the header is refused whole, before any row is read.
      if (!(error instanceof UnusableHeader)) throw error;
      console.error(`Could not import ${file}: it ${error.message} Nothing was stored.`);
      return 1;
    }
    if (totals.stored)
      progress(`Sorting ${totals.stored.toLocaleString('en')} new items into stages, categories and issues…`);
    const sorting = await services.sortExternalFeedback((sorted) => progress(`${sorted.toLocaleString('en')} sorted`));
    console.log(
      `${file}: ${totals.stored} new items stored, ${totals.duplicates} already stored, ${totals.refused} rows refused` +
        `${totals.notes ? `, ${totals.notes} notes` : ''}; ${sorting.sorted} sorted${sorting.failed ? `, ${sorting.failed} left for the bot to sort` : ''}.`,
    );
    return totals.refused ? 1 : 0;
  } finally {
    await database.close();
  }
}

// The schema engine's glue leaves a 10-second timer behind after migrating; a finished command should not wait for it.
process.exit(await importFeedback(process.argv[2]));
