// What is refused before a request reaches Bolt: anything but a POST, and a timestamp more
// than five minutes ahead. Bolt 5's HTTPReceiver only refuses timestamps five minutes in the
// past, so a request signed with a clock far ahead (or a captured one made to be replayed
// later) would otherwise pass for as long as the clock says.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendJson } from './respond.js';

const maxSkewSeconds = 5 * 60;

export function guardSlackEvents(slack: RequestListener, clock: () => Date = () => new Date()) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      sendJson(response, 405, { error: 'Slack sends events, commands and interactions here with POST.' });
      return;
    }
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    if (Number.isFinite(timestamp) && timestamp - clock().getTime() / 1000 > maxSkewSeconds) {
      // Bolt answers 401 for a stale timestamp; a future one gets the same.
      request.resume();
      sendJson(response, 401, { error: 'X-Slack-Request-Timestamp is more than 5 minutes in the future.' });
      return;
    }
    void slack(request, response);
  };
}
