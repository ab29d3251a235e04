// npm run import:metrics -- readings.csv: loads readings of the moments that matter from a
// CSV with a header row naming the same fields as POST /api/metrics. Read in chunks, so memory
// stays flat; each chunk is one insert, readings are stored once by external_id, refused rows
// are named by line, and the early warning check runs once at the end.
import { loadConfig } from '../config.js';
import { readMomentsFile, readLanguageFile } from '../languageFile.js';
import { readCsvFile, UnusableHeader } from '../ingest/csvFile.js';
import { createServices } from '../services.js';
import { createWarningServices } from '../services/warningService.js';
import { unimportableFile } from './importableFile.js';
import { openDatabaseForTool } from './openForTool.js';

const columns = ['external_id', 'moment', 'value', 'measured_at'];
/** Rows per insert: one statement each, large enough to be quick, small enough to keep memory flat. */
const chunkRows = 5000;

async function importMetrics(file: string | undefined): Promise<number> {
  if (!file) {
    console.error(`usage: npm run import:metrics -- readings.csv\nColumns: ${columns.join(', ')} (all required)`);
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
    'Or, while the bot runs, send the same readings to its metrics API (POST /api/metrics, see the README).',
  );
  if (!database) return 1;
  const totals = { read: 0, stored: 0, duplicates: 0, refused: 0 };
  try {
    const services = createServices(database.prisma, config, { log: () => {} });
    // As the bot does at start: the moments come from the company language when it names them.
    await services.loadLanguage(config.LANGUAGE_FILE ? await readLanguageFile(config.LANGUAGE_FILE) : undefined);
    const warnings = createWarningServices(database.prisma, config, {
      clock: services.clock,
      log: () => {},
      sendNotices: async () => undefined,
    });
    await warnings.loadMoments(config.LANGUAGE_FILE ? await readMomentsFile(config.LANGUAGE_FILE) : undefined);
    try {
      for await (const chunk of readCsvFile(file, { required: columns, columns, chunkRows })) {
        const result = await warnings.recordReadings(chunk.rows, { rowNumbers: chunk.lines, checkAfter: false });
        totals.stored += result.stored;
        totals.duplicates += result.duplicates;
        const refused = [...chunk.refused, ...result.rejected].sort((a, b) => a.row - b.row);
        for (const row of refused) console.log(`line ${row.row}: refused: ${row.reason}`);
        totals.read += chunk.rows.length + chunk.refused.length;
        totals.refused += refused.length;
        process.stderr.write(
          `${totals.read.toLocaleString('en')} rows read, ${totals.stored.toLocaleString('en')} stored\n`,
        );
      }
    } catch (error) {
      // Only the header is refused whole, before any row is read.
      if (!(error instanceof UnusableHeader)) throw error;
      console.error(`Could not import ${file}: it ${error.message} Nothing was stored.`);
      return 1;
    }
    // Warnings are queued in the outbox; the running bot (or its next start) posts them.
    const check = totals.stored ? await warnings.checkWarnings() : { raised: [] };
    console.log(
      `${file}: ${totals.stored} new readings stored, ${totals.duplicates} already stored, ${totals.refused} rows refused` +
        `${check.raised.length ? `; ${check.raised.length} early ${check.raised.length === 1 ? 'warning' : 'warnings'} queued for the subscribed channels` : ''}.`,
    );
    return totals.refused ? 1 : 0;
  } finally {
    await database.close();
  }
}

// The schema engine's glue leaves a 10-second timer behind after migrating; a finished command should not wait for it.
process.exit(await importMetrics(process.argv[2]));
