// POST /api/metrics: readings of the moments that matter, sent by the systems that measure
// them. Good rows are kept even when others in the batch are refused; the early warning
// check runs after a batch that stored something, so a broken standard warns within seconds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedReadings } from '../domain/metricReadings.js';
import type { Log } from '../logger.js';
import type { WarningServices } from '../services/warningService.js';
import { bearerMatches } from './bearerToken.js';
import { plural } from './customerEventsApi.js';
import { readJsonBatch } from './jsonBatch.js';
import { sendJson } from './respond.js';

export const maxReadingsPerBatch = 10_000;

export async function handleMetricReadings(
  request: IncomingMessage,
  response: ServerResponse,
  warnings: WarningServices,
  token: string | undefined,
  log: Log,
): Promise<void> {
  if (!token)
    return sendJson(response, 503, { error: 'The metrics API is switched off: set METRICS_API_TOKEN to turn it on.' });
  if (!bearerMatches(request.headers.authorization, token)) {
    return sendJson(response, 401, {
      error: 'Send the metrics API token as "Authorization: Bearer <token>". Nothing was stored.',
    });
  }
  const rows = await readJsonBatch(request, response, {
    key: 'readings',
    rows: 'readings',
    maxRows: maxReadingsPerBatch,
    maxBytes: 5_000_000,
  });
  if (!rows) return;

  let result: RecordedReadings;
  try {
    result = await warnings.recordReadings(rows);
  } catch (error) {
    log('storing metric readings failed', { level: 'error', error: String(error), readings: rows.length });
    // One statement stores the batch, so a failure stored none of it.
    return sendJson(response, 500, {
      error:
        'Something went wrong on our side: none of the readings in this request were stored. Readings are recognised by external_id, so sending the same batch again stores each once.',
      stored: 0,
    });
  }
  const kept = result.stored + result.duplicates;
  const message = [
    `Stored ${plural(result.stored, 'new reading', 'new readings')}`,
    result.duplicates ? `${plural(result.duplicates, 'reading was', 'readings were')} already stored` : '',
    result.rejected.length
      ? `refused ${plural(result.rejected.length, 'row', 'rows')} (see "rejected")${kept ? '; the valid rows were kept' : ''}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  sendJson(response, kept === 0 && result.rejected.length ? 422 : 200, { ...result, message: `${message}.` });
}
