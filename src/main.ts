import { startBot } from './bot.js';
import { loadConfig } from './config.js';

try {
  const bot = await startBot(loadConfig(), { demo: process.argv.includes('--demo') });
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
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
