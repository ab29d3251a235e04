import type { IncomingMessage } from 'node:http';

export class BodyTooLarge extends Error {}

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes)
      throw new BodyTooLarge(`The request body is larger than ${Math.round(limitBytes / 1_000_000)} MB.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
