// POST /api/customer-events: other systems (CRM, billing) report customer movements.
// Valid rows are kept even when others in the same batch are refused.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventsPartlyStored, maxEventsPerWrite, type RecordedBatch } from '../domain/customerEvents.js';
import type { Services } from '../services.js';
import { bearerMatches } from './bearerToken.js';
import { readJsonBatch } from './jsonBatch.js';
import { sendJson } from './respond.js';

// One request is one chunk, so a batch is stored whole or not at all.
export const maxEventsPerBatch = maxEventsPerWrite;

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

export async function handleCustomerEvents(
  request: IncomingMessage,
  response: ServerResponse,
  services: Services,
  token: string | undefined,
): Promise<void> {
  if (!token)
    return sendJson(response, 503, {
      error: 'The customer events API is switched off: set EVENTS_API_TOKEN to turn it on.',
    });
  if (!bearerMatches(request.headers.authorization, token)) {
    return sendJson(response, 401, { error: 'Send the events API token as "Authorization: Bearer <token>".' });
  }
  const rows = await readJsonBatch(request, response, {
    key: 'events',
    rows: 'events',
    maxRows: maxEventsPerBatch,
    maxBytes: 20_000_000,
  });
  if (!rows) return;

  let result: RecordedBatch;
  try {
    result = await services.recordCustomerEvents(rows);
  } catch (error) {
    services.log('storing customer events failed', { error: String(error), events: rows.length });
    // Events are keyed by external_id, so a resend cannot store anything twice: say what was kept and that.
    const kept =
      error instanceof EventsPartlyStored
        ? `The first ${plural(error.rowsSettled, 'valid row', 'valid rows')} were stored (${plural(error.stored, 'new event', 'new events')}); the rest were not.`
        : 'None of the events in this request were stored.';
    return sendJson(response, 500, {
      error: `Something went wrong on our side while storing the events. ${kept} Events are recognised by external_id, so sending the same batch again stores each event once.`,
      stored: error instanceof EventsPartlyStored ? error.stored : 0,
    });
  }
  const kept = result.stored + result.duplicates;
  const message = [
    `Stored ${plural(result.stored, 'new event', 'new events')}`,
    result.duplicates ? `${plural(result.duplicates, 'event was', 'events were')} already stored` : '',
    result.rejected.length
      ? `refused ${plural(result.rejected.length, 'row', 'rows')} (see "rejected"); the valid rows were kept`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  sendJson(response, kept === 0 && result.rejected.length ? 422 : 200, { ...result, message: `${message}.` });
}
