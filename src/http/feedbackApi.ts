// POST /api/feedback: what customers said elsewhere (surveys, the support desk, social,
// warranty claims), sent by the systems that heard it. Good rows are kept even when others
// in the batch are refused; sorting happens afterwards, so the answer never waits on a model.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Services } from '../services.js';
import { BodyTooLarge, readBody } from './body.js';
import { bearerMatches } from './bearerToken.js';
import { plural } from './customerEventsApi.js';
import { sendJson } from './respond.js';

export const maxFeedbackPerBatch = 10_000;

const batchBody = z.union([z.array(z.unknown()), z.object({ feedback: z.array(z.unknown()) })]);

export async function handleFeedback(request: IncomingMessage, response: ServerResponse, services: Services, token: string | undefined): Promise<void> {
  if (!token) return sendJson(response, 503, { error: 'The feedback API is switched off: set FEEDBACK_API_TOKEN to turn it on.' });
  if (!bearerMatches(request.headers.authorization, token)) {
    return sendJson(response, 401, { error: 'Send the feedback API token as "Authorization: Bearer <token>". Nothing was stored.' });
  }
  let raw: string;
  try {
    // 10,000 items of a few kilobytes each; a longer text belongs in the system of record.
    raw = await readBody(request, 50_000_000);
  } catch (error) {
    if (error instanceof BodyTooLarge) return sendJson(response, 413, { error: `${error.message} Nothing was stored. Send at most ${maxFeedbackPerBatch} items a request.` });
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return sendJson(response, 400, { error: 'The body is not valid JSON. Nothing was stored. Send an array of feedback items, or {"feedback": [...]}.' });
  }
  const body = batchBody.safeParse(json);
  if (!body.success) return sendJson(response, 400, { error: 'Send an array of feedback items, or {"feedback": [...]}. Nothing was stored.' });
  const rows = Array.isArray(body.data) ? body.data : body.data.feedback;
  if (rows.length > maxFeedbackPerBatch) return sendJson(response, 413, { error: `Send at most ${maxFeedbackPerBatch} items a request; this one had ${rows.length}. Nothing was stored.` });

  const result = await services.recordExternalFeedback(rows, { channel: 'api' });
  const kept = result.stored + result.duplicates;
  const message = [
    `Stored ${plural(result.stored, 'new item', 'new items')}${result.stored ? ', to be sorted into stages, categories and issues shortly' : ''}`,
    result.duplicates ? `${plural(result.duplicates, 'item was', 'items were')} already stored` : '',
    result.notes.length ? `${plural(result.notes.length, 'note', 'notes')} on stored rows (see "notes")` : '',
    result.rejected.length ? `refused ${plural(result.rejected.length, 'row', 'rows')} (see "rejected")${kept ? '; the valid rows were kept' : ''}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  sendJson(response, kept === 0 && result.rejected.length ? 422 : 200, { ...result, message: `${message}.` });
}
