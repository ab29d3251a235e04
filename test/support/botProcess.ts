// The real entry point (`npm start` is `node --import tsx src/main.ts`) and the command-line
// tools, run as child processes, with their JSON log lines and exit collected for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

export interface LogLine {
  message: string;
  level?: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildRun {
  child: ChildProcess;
  logs: LogLine[];
  stdout(): string;
  stderr(): string;
  output(): string;
  exited: Promise<Exit>;
}

export interface RunningBotProcess extends ChildRun {
  url: string;
}

/** The environment of a bot with nothing connected, on the given embedded folder; `extra` wins. */
export function botEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      [
        'DATABASE_URL',
        'EVENTS_API_TOKEN',
        'DEMO_DATA',
        'METRICS_TOKEN',
        'LOG_LEVEL',
        'OPENAI_API_KEY',
        'PGLITE_DIR',
      ].includes(name) ||
      name.startsWith('SLACK_') ||
      name.startsWith('MICROSOFT_') ||
      name.startsWith('BOOTSTRAP_')
    )
      delete env[name];
    if (name.startsWith('npm_')) delete env[name];
  }
  const merged: NodeJS.ProcessEnv = { ...env, PORT: '0', HOST: '127.0.0.1' };
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

const started: ChildRun[] = [];

/** Starts `node --import tsx <script> ...args`; its own process group, so a leftover can be cleaned up. */
export function run(script: string, args: string[], env: NodeJS.ProcessEnv): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const logs: LogLine[] = [];
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // not a log line
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const result: ChildRun = {
    child,
    logs,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
    exited,
  };
  started.push(result);
  return result;
}

/** Waits until a log line matches, or the process ends, or `ms` pass (then fails with its output). */
export function waitForLog(running: ChildRun, match: (line: LogLine) => boolean, ms = 90_000): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const found = () => running.logs.find(match);
    const done = (error?: Error, line?: LogLine) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(line!);
    };
    // Log lines arrive on stdout's data events; checking on each is enough, a short interval catches the rest.
    const check = () => {
      const line = found();
      if (line) done(undefined, line);
    };
    const poll = setInterval(check, 50);
    const timer = setTimeout(
      () => done(new Error(`no matching log line within ${ms / 1000} s\n${running.output()}`)),
      ms,
    );
    void running.exited.then((exit) => {
      const line = found();
      if (line) done(undefined, line);
      else
        done(
          new Error(`the process exited (${JSON.stringify(exit)}) before the expected log line\n${running.output()}`),
        );
    });
    check();
  });
}

/** `npm start`: resolves once the bot logs that it is listening. */
export async function startBotProcess(env: NodeJS.ProcessEnv, args: string[] = []): Promise<RunningBotProcess> {
  const running = run('src/main.ts', args, env);
  const listening = await waitForLog(running, (line) => line.message === 'customer-growth bot listening');
  return { ...running, url: new URL(String(listening.preview)).origin };
}

/** Resolves with how the process ended, or fails if it is still running after `ms`. */
export async function exitWithin(running: ChildRun, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running ${ms / 1000} s later\n${running.output()}`)), ms);
  });
  try {
    return await Promise.race([running.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** For afterAll: ends whatever a failed test left running (each child is its own process group). */
export async function killLeftovers(): Promise<void> {
  for (const running of started.splice(0)) {
    if (running.child.exitCode === null && running.child.signalCode === null && running.child.pid) {
      try {
        process.kill(-running.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await running.exited;
    }
  }
}
