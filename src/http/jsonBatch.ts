// Reading a batch API's body: a JSON array of rows, or an object holding one under a named
// key, within a size and a row count. Every refusal says that nothing was stored.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BodyTooLarge, readBody } from './body.js';
import { sendJson } from './respond.js';

export interface BatchShape {
  /** `events` for `{"events": [...]}`. */
  key: string;
  /** What a row is called in answers: `events`, `feedback items`. */
  rows: string;
  maxRows: number;
  maxBytes: number;
}

/** The batch's rows, or undefined once the sender has been answered why not. */
export async function readJsonBatch(
  request: IncomingMessage,
  response: ServerResponse,
  shape: BatchShape,
): Promise<unknown[] | undefined> {
  const expected = `Send an array of ${shape.rows}, or {"${shape.key}": [...]}.`;
  let raw: string;
  try {
    raw = await readBody(request, shape.maxBytes);
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    sendJson(response, 413, {
      error: `${error.message} Nothing was stored. Send at most ${shape.maxRows} ${shape.rows} a request.`,
    });
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    sendJson(response, 400, { error: `The body is not valid JSON. Nothing was stored. ${expected}` });
    return undefined;
  }
  const body = z.union([z.array(z.unknown()), z.object({ [shape.key]: z.array(z.unknown()) })]).safeParse(json);
  if (!body.success) {
    sendJson(response, 400, { error: `${expected} Nothing was stored.` });
    return undefined;
  }
  const rows = Array.isArray(body.data) ? body.data : (body.data[shape.key] as unknown[]);
  if (rows.length > shape.maxRows) {
    sendJson(response, 413, {
      error: `Send at most ${shape.maxRows} ${shape.rows} a request; this one had ${rows.length}. Nothing was stored.`,
    });
    return undefined;
  }
  return rows;
}
