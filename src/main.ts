import { startBot } from './startBot.js';
import { loadConfig } from './config.js';
import { createLog, routeConsoleTo } from './logger.js';

try {
  const config = loadConfig();
  const log = createLog({ level: config.LOG_LEVEL });
  const bot = await startBot(config, { demo: process.argv.includes('--demo'), log, playground: true });
  // From here on, what libraries print (botbuilder uses console) is structured and scrubbed too.
  routeConsoleTo(log);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    bot.services.log('stopping', { signal });
    await bot.stop();
    // Everything is closed; a library that still holds the event loop must not keep a stopped bot alive.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  // One plain line for a person at a terminal: what is wrong and what to do, no stack trace.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
