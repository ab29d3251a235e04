// The running bot with Teams connected in emulator mode to a local Bot Framework connector
// stand-in, on a fresh PostgreSQL: what every Teams end-to-end test starts from.
import { loadConfig } from '../../src/config.js';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { startConnectorStandIn, type ConnectorStandIn } from './connectorStandIn.js';
import { freshDatabase, type TestDatabase } from './testDatabase.js';

export interface TeamsBot {
  db: TestDatabase;
  connector: ConnectorStandIn;
  bot: RunningBot;
  stop(): Promise<void>;
}

export async function startTeamsBot(env: Record<string, string> = {}): Promise<TeamsBot> {
  const db = await freshDatabase();
  const connector = await startConnectorStandIn();
  const bot = await startBot(
    loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      HOST: '127.0.0.1',
      TEAMS_EMULATOR: 'true',
      ORG_TIMEZONE: 'UTC',
      ...env,
    }),
    { log: () => {} },
  );
  return {
    db,
    connector,
    bot,
    async stop() {
      await bot.stop();
      await connector.close();
      await db.drop();
    },
  };
}
