// The columns of a customer-events CSV, and its rows read in chunks by the one CSV reader.
import { readCsvFile, type CsvChunk } from './csvFile.js';

export const csvColumns = [
  'external_id',
  'customer_id',
  'customer_name',
  'segment',
  'kind',
  'value',
  'occurred_at',
  'customer_contact',
  'reason',
  'verbatim',
  'projected_value',
  'market_area',
] as const;
const requiredColumns = csvColumns.slice(0, 7);

export function readCustomerEventCsv(file: string, chunkRows = 10_000): AsyncGenerator<CsvChunk> {
  return readCsvFile(file, { required: requiredColumns, columns: csvColumns, chunkRows });
}
