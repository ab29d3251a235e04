// One process at a time in an embedded PGlite folder: PGlite is PostgreSQL in this process's
// memory, and a second process writing the same files corrupts them. A lock file, linked into
// place atomically, names who holds the folder; a lock left by a process that died is taken over.
import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export const lockFileName = 'bot.lock';

const holderSchema = z.object({
  pid: z.number().int(),
  hostname: z.string(),
  command: z.string(),
  since: z.string(),
  /** Linux: the process's start time in clock ticks since boot, so a reused pid is not mistaken for the holder. */
  startTicks: z.string().optional(),
});

export type FolderHolder = z.infer<typeof holderSchema>;

/** The folder is held by a live process; carries who, for a message that says what to do. */
export class FolderInUse extends Error {
  constructor(
    readonly folder: string,
    readonly holder: FolderHolder,
  ) {
    const elsewhere = holder.hostname !== hostname();
    super(
      `The embedded database in ${folder} is in use by another process: pid ${holder.pid} (${holder.command})${elsewhere ? ` on host ${holder.hostname}` : ''}, since ${holder.since}. ` +
        'Only one process can open it at a time. Stop that process first, or set DATABASE_URL to a PostgreSQL server, which several processes can share.' +
        (elsewhere
          ? ` This machine cannot see whether that host's process still runs: if it is gone for good, delete ${path.join(folder, lockFileName)} and start again.`
          : ''),
    );
  }
}

export interface FolderLock {
  release(): Promise<void>;
}

/** Folders this process holds: opening one twice here would corrupt it just the same. */
const heldHere = new Set<string>();

function startTicks(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after its ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function commandLine(): string {
  const script = process.env.npm_lifecycle_event;
  const args = [
    path.basename(process.execPath),
    ...process.execArgv,
    ...process.argv.slice(1).map((arg) => (path.isAbsolute(arg) ? path.relative(process.cwd(), arg) || arg : arg)),
  ];
  return script ? `npm run ${script}: ${args.join(' ')}` : args.join(' ');
}

function alive(holder: FolderHolder): boolean {
  // Another machine's process cannot be checked. Two replicas sharing a volume would corrupt the
  // folder, which is worse than asking an operator to remove the lock of a host that is gone.
  if (holder.hostname !== hostname()) return true;
  // Our own pid in a lock we do not hold is a previous life of this container (pid 1 again).
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicks(holder.pid);
  return !(holder.startTicks && ticks && ticks !== holder.startTicks);
}

async function readHolder(file: string): Promise<FolderHolder | undefined> {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    // Not a lock this code wrote (it writes whole files): stale.
    return undefined;
  }
}

/** Takes the folder for this process, or throws FolderInUse naming the live holder. */
export async function lockFolder(
  folder: string,
  onTakeOver?: (stale: FolderHolder | undefined) => void,
): Promise<FolderLock> {
  const resolved = path.resolve(folder);
  const file = path.join(resolved, lockFileName);
  const me: FolderHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: commandLine(),
    since: new Date().toISOString(),
    startTicks: startTicks(process.pid),
  };
  if (heldHere.has(resolved)) throw new FolderInUse(folder, { ...me, command: `this process, ${me.command}` });
  // Taken before the first await, so two opens in this process cannot both get past here.
  heldHere.add(resolved);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await create(file, me)) return held(resolved, file, me);
      let holder: FolderHolder | undefined;
      try {
        holder = await readHolder(file);
      } catch {
        continue; // released between our try and our read: try again
      }
      if (holder && alive(holder)) throw new FolderInUse(folder, holder);
      await takeOver(file, holder);
      onTakeOver?.(holder);
    }
    throw new Error(
      `Could not take the lock on ${folder}: other processes keep taking it. Start one process at a time.`,
    );
  } catch (error) {
    heldHere.delete(resolved);
    throw error;
  }
}

/**
 * Writes the lock whole beside it, then links it into place: link fails if the lock exists,
 * so of two processes starting at once exactly one gets it, and nobody reads it half-written.
 */
async function create(file: string, me: FolderHolder): Promise<boolean> {
  const draft = `${file}.${randomUUID()}.new`;
  await writeFile(draft, JSON.stringify(me), { flag: 'wx' });
  try {
    await link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

function held(resolved: string, file: string, me: FolderHolder): FolderLock {
  const mine = (current: FolderHolder | undefined) => current?.pid === me.pid && current.since === me.since;
  // A crash that still runs exit handlers (an uncaught error) leaves no lock behind.
  const onExit = () => {
    try {
      if (mine(holderSchema.parse(JSON.parse(readFileSync(file, 'utf8'))))) unlinkSync(file);
    } catch {
      // nothing to clean up
    }
  };
  process.once('exit', onExit);
  return {
    release: async () => {
      heldHere.delete(resolved);
      process.off('exit', onExit);
      if (mine(await readHolder(file).catch(() => undefined))) await unlink(file).catch(() => {});
    },
  };
}

/**
 * Moves a stale lock aside. Two processes may both find it stale: the rename lets one move it,
 * and one that moved a fresh lock instead (the other's, just created) puts it back.
 */
async function takeOver(file: string, stale: FolderHolder | undefined): Promise<void> {
  const aside = `${file}.${randomUUID()}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = await readHolder(aside).catch(() => undefined);
  const movedTheStaleOne = JSON.stringify(moved) === JSON.stringify(stale);
  // link fails if a lock exists again, so putting a fresh lock back never replaces another.
  if (!movedTheStaleOne) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
}
