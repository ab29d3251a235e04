// SIGTERM while a request is in flight: the bot stops taking new connections, the request
// that had started still gets its whole answer (and its events are stored), then it exits 0.
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  botEnv,
  exitWithin,
  killLeftovers,
  startBotProcess,
  waitForLog,
  type RunningBotProcess,
} from '../support/botProcess.js';

const token = 'events-token-for-graceful-stop';
let folder: string;
let bot: RunningBotProcess;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'graceful-stop-'));
  bot = await startBotProcess(botEnv({ PGLITE_DIR: path.join(folder, 'pglite'), EVENTS_API_TOKEN: token }));
}, 120_000);

afterAll(async () => {
  await killLeftovers();
  if (folder) await rm(folder, { recursive: true, force: true });
});

async function until(condition: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('stopping with a request in flight', () => {
  it('answers the request that had started, refuses new ones, and exits 0', async () => {
    const events = [
      {
        external_id: 'drain-1',
        customer_id: 'acme',
        customer_name: 'Acme',
        segment: 'Enterprise',
        kind: 'won',
        value: 1200,
        occurred_at: '2026-01-05T09:00:00Z',
      },
    ];
    const body = JSON.stringify(events);
    const url = new URL('/api/customer-events', bot.url);
    // The request starts (headers and half of the body sent), and the bot is waiting for the rest.
    const inFlight = request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      inFlight.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      });
      inFlight.on('error', reject);
    });
    const half = Math.floor(body.length / 2);
    inFlight.write(body.slice(0, half));
    // Wait until the bot is answering it: in flight are this upload and the scrape asking.
    await until(async () => /^http_requests_in_flight 2$/m.test(await (await fetch(`${bot.url}/metrics`)).text()));

    bot.child.kill('SIGTERM');
    const draining = await waitForLog(
      bot,
      (line) => line.message === 'no longer accepting requests; finishing those in flight',
    );
    expect(draining.inFlight).toBe(1);

    // New connections are refused now.
    await expect(fetch(`${bot.url}/healthz`)).rejects.toThrow();

    // The rest of the body arrives after SIGTERM, and the answer is the full one.
    inFlight.end(body.slice(half));
    const { status, text } = await answer;
    expect(status, text).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ stored: 1, duplicates: 0, rejected: [], message: 'Stored 1 new event.' });

    expect(await exitWithin(bot, 30_000), bot.output()).toEqual({ code: 0, signal: null });
    expect(bot.logs.some((line) => line.message === 'stopped with requests unanswered')).toBe(false);
  }, 120_000);

  it('kept the event the last request stored', async () => {
    // The folder is free again (the lock went with the bot); the event is there.
    const again = await startBotProcess(botEnv({ PGLITE_DIR: path.join(folder, 'pglite'), EVENTS_API_TOKEN: token }));
    const response = await fetch(`${again.url}/api/customer-events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          external_id: 'drain-1',
          customer_id: 'acme',
          customer_name: 'Acme',
          segment: 'Enterprise',
          kind: 'won',
          value: 1200,
          occurred_at: '2026-01-05T09:00:00Z',
        },
      ]),
    });
    expect(await response.json()).toMatchObject({ stored: 0, duplicates: 1 });
    again.child.kill('SIGTERM');
    expect(await exitWithin(again, 30_000)).toEqual({ code: 0, signal: null });
  }, 120_000);
});
