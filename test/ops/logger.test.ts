// The bot's log lines as an operator reads them: JSON with a level, and no token or secret
// in them, wherever it came from (a context key, a message, an error's stack, a library).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boltLogger, createLog, type LogLevel } from '../../src/logger.js';

function capture(level?: LogLevel) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLog({ ...(level ? { level } : {}), destination }) };
}

describe('the log', () => {
  it('writes info by default, and the level a context asks for', () => {
    const { lines, log } = capture();
    log('database ready', { kind: 'pglite' });
    log('notice failed; it will be retried', { level: 'warn', attempts: 2 });
    log('http request failed', { level: 'error' });
    log('details', { level: 'debug' });
    expect(lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'database ready'],
      ['warn', 'notice failed; it will be retried'],
      ['error', 'http request failed'],
    ]);
    expect(lines[0]).toMatchObject({ kind: 'pglite' });
    expect(String(lines[0]!.at)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes only what LOG_LEVEL lets through', () => {
    const { lines, log } = capture('warn');
    log('customer-growth bot listening');
    log('slack error', { level: 'error' });
    expect(lines.map((line) => line.message)).toEqual(['slack error']);
    const verbose = capture('debug');
    verbose.log('details', { level: 'debug' });
    expect(verbose.lines.map((line) => line.level)).toEqual(['debug']);
  });

  it('censors secrets by key, and tokens by their shape anywhere', () => {
    const { lines, log } = capture();
    const error = new Error('invalid_auth for xoxb-1234-5678-abcdefghijkl');
    log('calling Slack with xoxb-1234-5678-abcdefghijkl failed', {
      token: 'plain-token-value',
      request: { headers: { authorization: 'Bearer abc.def.ghi', accept: 'application/json' } },
      settings: { client_secret: 'shh', password: 'hunter2' },
      error,
      note: 'keys xapp-1-A0-1234-abcd and sk-proj-abcdefghijklmnop, header Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl',
      stripe: 'sk_live_51HxAbCdEf rk_test_9ZyXwV whsec_q1w2e3r4',
      link: 'https://growth.example.com/?week=2026-11-16&expires=1796000000&signature=Zm9vYmFyYmF6',
    });
    const text = JSON.stringify(lines);
    for (const secret of [
      'xoxb-1234',
      'plain-token-value',
      'abc.def.ghi',
      'shh',
      'hunter2',
      'xapp-1-A0',
      'sk-proj-abc',
      'eyJhbGciOi',
      '51HxAbCdEf',
      '9ZyXwV',
      'q1w2e3r4',
      'Zm9vYmFyYmF6',
    ])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      token: '[redacted]',
      settings: { client_secret: '[redacted]', password: '[redacted]' },
      request: { headers: { authorization: '[redacted]', accept: 'application/json' } },
    });
    expect(lines[0]!.message).toBe('calling Slack with xox?-[redacted] failed');
    expect(String(lines[0]!.error)).toContain('invalid_auth for xox?-[redacted]');
  });

  it("takes Bolt's lines, at their level, marked as Slack's", () => {
    const { lines, log } = capture();
    const bolt = boltLogger(log);
    bolt.setLevel('warn' as never);
    bolt.info('socket mode connected');
    bolt.warn('Authorization of incoming event did not succeed.', { token: 'xoxb-99-99-secretsecret' });
    bolt.error(new Error('An API error occurred: not_authed'));
    expect(lines.map((line) => [line.level, line.component])).toEqual([
      ['warn', 'slack'],
      ['error', 'slack'],
    ]);
    expect(String(lines[0]!.message)).toContain('Authorization of incoming event did not succeed.');
    expect(JSON.stringify(lines)).not.toContain('secretsecret');
    expect(String(lines[1]!.message)).toContain('not_authed');
  });
});
