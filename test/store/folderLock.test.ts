// The PGlite folder lock on its own: a live holder in another process is named and refused,
// this process cannot open a folder twice, and a lock left by a dead or half-started process
// is taken over.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderInUse, lockFileName, lockFolder } from '../../src/store/folderLock.js';

let root: string;
let counter = 0;
const freshFolder = async () => {
  const folder = path.join(root, `folder-${counter++}`);
  await mkdir(folder);
  return folder;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'folder-lock-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

function startTicksOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('lockFolder', () => {
  it('refuses a folder another live process holds, naming it', async () => {
    const folder = await freshFolder();
    // A real other process, alive while the test runs.
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => holder.once('spawn', resolve));
      const lock = {
        pid: holder.pid!,
        hostname: hostname(),
        command: 'npm run start: node --import tsx src/main.ts',
        since: '2026-12-01T08:00:00.000Z',
        startTicks: process.platform === 'linux' ? startTicksOf(holder.pid!) : undefined,
      };
      await writeFile(path.join(folder, lockFileName), JSON.stringify(lock));
      const refused = await lockFolder(folder).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(FolderInUse);
      expect((refused as FolderInUse).message).toBe(
        `The embedded database in ${folder} is in use by another process: pid ${holder.pid} (npm run start: node --import tsx src/main.ts), since 2026-12-01T08:00:00.000Z. Only one process can open it at a time. Stop that process first, or set DATABASE_URL to a PostgreSQL server, which several processes can share.`,
      );
      // The holder's lock is untouched.
      expect(JSON.parse(await readFile(path.join(folder, lockFileName), 'utf8'))).toMatchObject({ pid: holder.pid });
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('refuses a lock written on another host (a second replica on a shared volume), saying how to clear it', async () => {
    const folder = await freshFolder();
    await writeFile(
      path.join(folder, lockFileName),
      JSON.stringify({
        pid: 1,
        hostname: `not-${hostname()}`,
        command: 'node dist/main.js',
        since: '2026-12-01T08:00:00.000Z',
      }),
    );
    const refused = await lockFolder(folder).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FolderInUse);
    expect((refused as FolderInUse).message).toContain(`on host not-${hostname()}`);
    expect((refused as FolderInUse).message).toContain(
      `if it is gone for good, delete ${path.join(folder, lockFileName)}`,
    );
  });

  it('refuses to open a folder twice in this process, and lets it go on release', async () => {
    const folder = await freshFolder();
    const first = await lockFolder(folder);
    await expect(lockFolder(folder)).rejects.toBeInstanceOf(FolderInUse);
    await first.release();
    const again = await lockFolder(folder);
    await again.release();
  });

  it('takes over a lock whose process is gone, or that was never finished', async () => {
    const folder = await freshFolder();
    const gone = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => gone.once('exit', resolve));
    await writeFile(
      path.join(folder, lockFileName),
      JSON.stringify({
        pid: gone.pid,
        hostname: hostname(),
        command: 'node src/main.ts',
        since: '2026-12-01T08:00:00.000Z',
      }),
    );
    const takenOver: unknown[] = [];
    const lock = await lockFolder(folder, (stale) => takenOver.push(stale?.pid));
    expect(takenOver).toEqual([gone.pid]);
    expect(JSON.parse(await readFile(path.join(folder, lockFileName), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();

    // A process that died between creating the file and writing it leaves it empty.
    await writeFile(path.join(folder, lockFileName), '');
    const afterEmpty = await lockFolder(folder);
    await afterEmpty.release();
  });

  it('lets exactly one of several takers in at once', async () => {
    const folder = await freshFolder();
    const results = await Promise.allSettled([lockFolder(folder), lockFolder(folder), lockFolder(folder)]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) if (result.status === 'fulfilled') await result.value.release();
  });
});
