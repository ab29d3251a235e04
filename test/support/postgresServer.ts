// A throwaway PostgreSQL server for one test run: its own temp folder, a free port on
// 127.0.0.1, trust auth, durability off. Root cannot run the server, so as root every
// command runs as the `postgres` user, which owns the folder.
// The postmaster runs as our child (not daemonized by pg_ctl) so this process reaps it.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const postgresRoot = '/usr/lib/postgresql';

export interface PostgresServer {
  /** Connection URL for a database on this server, as superuser `postgres`. */
  url(dbName: string): string;
  /** Creates the database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

function findBinDir(): string {
  const versions = existsSync(postgresRoot) ? readdirSync(postgresRoot) : [];
  const found = versions
    .filter((version) => existsSync(path.join(postgresRoot, version, 'bin', 'initdb')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a) || b.localeCompare(a));
  if (!found[0]) {
    throw new Error(
      `No PostgreSQL server binaries under ${postgresRoot}/*/bin (initdb, pg_ctl). ` +
        'Run `.ci/run`, or install them with `apt-get install postgresql`.',
    );
  }
  return path.join(postgresRoot, found[0], 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** argv to run `command args` as the server's owner. */
function commandLine(command: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

// Keep the caller's PG* settings (PGPORT, PGDATA, ...) away from initdb and pg_ctl.
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinDir();
  const folder = await mkdtemp(path.join(tmpdir(), 'pgtest-'));
  const dataDir = path.join(folder, 'data');
  const logFile = path.join(folder, 'server.log');
  const options = { cwd: folder, env: cleanEnv() };
  const exec = (tool: string, args: string[]) => {
    const [command, argv] = commandLine(path.join(bin, tool), args);
    return run(command, argv, options);
  };
  const pgCtlStop = ['stop', '-D', dataDir, '-m', 'immediate', '-w'];

  let stopped = false;
  // Last resort if the run ends without teardown (crash, process.exit): no server left behind.
  const onExit = () => {
    if (stopped) return;
    try {
      const [command, argv] = commandLine(path.join(bin, 'pg_ctl'), pgCtlStop);
      execFileSync(command, argv, { ...options, stdio: 'ignore' });
    } catch {}
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let port = 0;
  let server: Launched | undefined;
  try {
    if (asRoot) await chown(folder, ...postgresIds());
    await exec('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    // Appending keeps the file's owner (postgres).
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      [
        '',
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${folder}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 200',
        '',
      ].join('\n'),
    );
    // Another process may take the free port before the server binds it: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        server = await launch(bin, dataDir, port, logFile, options);
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    onExit();
    stopped = true;
    process.removeListener('exit', onExit);
    throw new Error(
      `Could not start PostgreSQL from ${bin}: ${(error as Error).message}${log ? `\nserver log:\n${log}` : ''}`,
    );
  }

  const url = (dbName: string) => `postgresql://postgres@127.0.0.1:${port}/${encodeURIComponent(dbName)}`;

  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      try {
        await exec('pg_ctl', pgCtlStop);
        await Promise.race([server?.exited, sleep(10_000)]);
      } finally {
        if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}

function postgresIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return [uid, gid];
}

interface Launched {
  child: ChildProcess;
  exited: Promise<string>;
}

/** Starts the postmaster in the foreground and resolves once it accepts connections. */
async function launch(
  bin: string,
  dataDir: string,
  port: number,
  logFile: string,
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Launched> {
  const [command, argv] = commandLine(path.join(bin, 'postgres'), ['-D', dataDir, '-p', String(port)]);
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, argv, { ...options, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  let done = false;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      done = true;
      resolve(error.message);
    });
    child.once('exit', (code, signal) => {
      done = true;
      resolve(`postgres exited (${signal ?? code})`);
    });
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database: 'postgres',
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      // The port is only known free until the server binds it: make sure it is ours.
      const { rows } = await client.query<{ data_directory: string }>('SHOW data_directory');
      await client.end();
      if (rows[0]?.data_directory === dataDir) return { child, exited };
    } catch {
      await client.end().catch(() => {});
    }
    if (done) throw new Error(await exited);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('postgres did not accept connections within 60 s');
    }
    await sleep(100);
  }
}
