// The embedded database belongs to one process: a second `npm start`, `npm run import` or
// `npm run digest:send` on the same PGlite folder is refused with who holds it and what to do,
// and the first bot keeps serving. A port already taken is one plain line, not a stack trace.
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  botEnv,
  exitWithin,
  killLeftovers,
  run,
  startBotProcess,
  type RunningBotProcess,
} from '../support/botProcess.js';

let folder: string;
let first: RunningBotProcess;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'one-process-'));
  first = await startBotProcess(botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
}, 120_000);

afterAll(async () => {
  if (first && first.child.exitCode === null) {
    first.child.kill('SIGTERM');
    await exitWithin(first, 30_000).catch(() => {});
  }
  await killLeftovers();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe('one process per embedded database', () => {
  it('refuses a second bot on the same folder, naming the first, and the first keeps answering', async () => {
    const second = run('src/main.ts', [], botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
    const ended = await exitWithin(second, 90_000);
    expect(ended.code, second.output()).toBe(1);
    const stderr = second.stderr();
    expect(stderr).toContain(
      `The embedded database in ${path.join(folder, 'pglite')} is in use by another process: pid ${first.child.pid}`,
    );
    expect(stderr).toContain('src/main.ts');
    expect(stderr).toMatch(/since \d{4}-\d\d-\d\dT/);
    expect(stderr).toContain('Stop that process first, or set DATABASE_URL');
    expect(stderr).not.toMatch(/^\s+at /m);

    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);
    const page = await fetch(`${first.url}/`);
    expect(page.status).toBe(200);
  }, 120_000);

  it('refuses `npm run import` beside the running bot, saying nothing was imported and what to do', async () => {
    const csv = path.join(folder, 'events.csv');
    await writeFile(
      csv,
      'external_id,customer_id,customer_name,segment,kind,value,occurred_at\nx-1,acme,Acme,Enterprise,won,100,2026-01-05\n',
    );
    const importing = run('src/cli/importEvents.ts', [csv], botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
    const ended = await exitWithin(importing, 90_000);
    expect(ended.code, importing.output()).toBe(1);
    expect(importing.stderr()).toContain(
      `Nothing was imported: the embedded database in ${path.join(folder, 'pglite')} is open in pid ${first.child.pid}`,
    );
    expect(importing.stderr()).toContain('Stop the bot first and run this again');
    expect(importing.stderr()).toContain('POST /api/customer-events');
    expect(importing.stdout()).toBe('');
  }, 120_000);

  it('refuses `npm run import:feedback` beside the running bot the same way, pointing at the feedback API', async () => {
    const csv = path.join(folder, 'feedback.csv');
    await writeFile(csv, 'external_id,text,source\nsv-1,Setup took three calls,survey\n');
    const importing = run('src/cli/importFeedback.ts', [csv], botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
    const ended = await exitWithin(importing, 90_000);
    expect(ended.code, importing.output()).toBe(1);
    expect(importing.stderr()).toContain(
      `Nothing was imported: the embedded database in ${path.join(folder, 'pglite')} is open in pid ${first.child.pid}`,
    );
    expect(importing.stderr()).toContain('POST /api/feedback');
  }, 120_000);

  it('refuses `npm run digest:send` beside the running bot, saying nothing was posted', async () => {
    const sending = run(
      'src/cli/sendDigest.ts',
      [],
      botEnv({
        PGLITE_DIR: path.join(folder, 'pglite'),
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: 'secret',
        SLACK_API_URL: 'http://127.0.0.1:9/api/',
      }),
    );
    const ended = await exitWithin(sending, 90_000);
    expect(ended.code, sending.output()).toBe(1);
    expect(sending.stderr()).toContain(
      `Nothing was posted: the embedded database in ${path.join(folder, 'pglite')} is open in pid ${first.child.pid}`,
    );
    expect(sending.stderr()).toContain('Stop the bot first');
  }, 120_000);

  it('says in one line that the port is taken, and exits 1', async () => {
    const port = new URL(first.url).port;
    const second = run('src/main.ts', [], botEnv({ PGLITE_DIR: path.join(folder, 'other'), PORT: port }));
    const ended = await exitWithin(second, 90_000);
    expect(ended, second.output()).toEqual({ code: 1, signal: null });
    expect(second.stderr().trim()).toBe(
      `Port ${port} is already in use (is the bot already running?). Set PORT=… to use another.`,
    );
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('starts on a folder whose last holder died, and frees the folder when stopped', async () => {
    first.child.kill('SIGTERM');
    expect(await exitWithin(first, 30_000)).toEqual({ code: 0, signal: null });
    // A lock left by a process that no longer exists, as a crash (SIGKILL, power cut) leaves it.
    const dead = run('src/cli/importEvents.ts', [], botEnv({}));
    await dead.exited;
    await writeFile(
      path.join(folder, 'pglite', 'bot.lock'),
      JSON.stringify({
        pid: dead.child.pid,
        hostname: (await import('node:os')).hostname(),
        command: 'node src/main.ts',
        since: '2026-01-01T00:00:00.000Z',
      }),
    );

    const again = await startBotProcess(botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
    expect(again.logs.find((line) => line.message === 'took over the lock of a process that is gone')).toMatchObject({
      pid: dead.child.pid,
      level: 'warn',
    });
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await exitWithin(again, 30_000)).toEqual({ code: 0, signal: null });

    // Stopped cleanly, it leaves no lock: the next start needs no takeover.
    const third = await startBotProcess(botEnv({ PGLITE_DIR: path.join(folder, 'pglite') }));
    expect(third.logs.some((line) => line.message === 'took over the lock of a process that is gone')).toBe(false);
    third.child.kill('SIGTERM');
    expect(await exitWithin(third, 30_000)).toEqual({ code: 0, signal: null });
  }, 240_000);
});
