import type { ServerResponse } from 'node:http';

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

export function sendHtml(
  response: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      // data: images are the charts drawn inside the page; without it a browser shows only their alt text.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      ...headers,
    })
    .end(html);
}
