// botbuilder's CloudAdapter.process expects an Express-style request with the body
// already parsed and a response with status/header/send/end. This is that much over
// node:http, with a size cap, so the bot needs no web framework.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';
import { BodyTooLarge, readBody } from './body.js';
import { sendJson } from './respond.js';

/** Teams messages are at most about 100 KB; anything far larger is not an activity. */
export const activityLimitBytes = 1_000_000;

export type ProcessActivity = (request: Request, response: Response) => Promise<void>;

function responseFor(response: ServerResponse): Response {
  return {
    socket: response.socket,
    status: (code: number) => {
      response.statusCode = code;
    },
    header: (name: string, value: unknown) => void response.setHeader(name, String(value)),
    send: (body?: unknown) => {
      if (body === undefined || body === null) return;
      if (typeof body === 'string' || Buffer.isBuffer(body)) {
        if (!response.hasHeader('content-type')) response.setHeader('content-type', 'text/plain; charset=utf-8');
        response.write(body);
        return;
      }
      if (!response.hasHeader('content-type')) response.setHeader('content-type', 'application/json; charset=utf-8');
      response.write(JSON.stringify(body));
    },
    end: () => void response.end(),
  };
}

export function botFrameworkEndpoint(process: ProcessActivity) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST')
      return sendJson(response, 405, { error: 'The Bot Framework posts activities here.' });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request, activityLimitBytes));
    } catch (error) {
      if (error instanceof BodyTooLarge) return sendJson(response, 413, { error: error.message });
      return sendJson(response, 400, { error: 'The body is not JSON.' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return sendJson(response, 400, { error: 'The body is not an activity.' });
    await process(
      { method: 'POST', headers: request.headers, body: body as Record<string, unknown> },
      responseFor(response),
    );
  };
}
