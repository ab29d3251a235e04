// POST /api/feedback: what customers said elsewhere (surveys, the support desk, social,
// warranty claims), sent by the systems that heard it. Good rows are kept even when others
// in the batch are refused; sorting happens afterwards, so the answer never waits on a model.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Services } from '../services.js';
import { bearerMatches } from './bearerToken.js';
import { plural } from './customerEventsApi.js';
import { readJsonBatch } from './jsonBatch.js';
import { sendJson } from './respond.js';

export const maxFeedbackPerBatch = 10_000;

export async function handleFeedback(
  request: IncomingMessage,
  response: ServerResponse,
  services: Services,
  token: string | undefined,
): Promise<void> {
  if (!token)
    return sendJson(response, 503, {
      error: 'The feedback API is switched off: set FEEDBACK_API_TOKEN to turn it on.',
    });
  if (!bearerMatches(request.headers.authorization, token)) {
    return sendJson(response, 401, {
      error: 'Send the feedback API token as "Authorization: Bearer <token>". Nothing was stored.',
    });
  }
  // 10,000 items of a few kilobytes each; a longer text belongs in the system of record.
  const rows = await readJsonBatch(request, response, {
    key: 'feedback',
    rows: 'feedback items',
    maxRows: maxFeedbackPerBatch,
    maxBytes: 50_000_000,
  });
  if (!rows) return;

  const result = await services.recordExternalFeedback(rows, { channel: 'api' });
  const kept = result.stored + result.duplicates;
  const message = [
    `Stored ${plural(result.stored, 'new item', 'new items')}${result.stored ? ', to be sorted into stages, categories and issues shortly' : ''}`,
    result.duplicates ? `${plural(result.duplicates, 'item was', 'items were')} already stored` : '',
    result.notes.length ? `${plural(result.notes.length, 'note', 'notes')} on stored rows (see "notes")` : '',
    result.rejected.length
      ? `refused ${plural(result.rejected.length, 'row', 'rows')} (see "rejected")${kept ? '; the valid rows were kept' : ''}`
      : '',
  ]
    .filter(Boolean)
    .join('; ');
  sendJson(response, kept === 0 && result.rejected.length ? 422 : 200, { ...result, message: `${message}.` });
}
