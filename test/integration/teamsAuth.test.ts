// With an Azure Bot's app id and password, /api/messages takes only activities carrying
// a Bot Framework JWT. Checking a real token's signature needs Microsoft's signing keys
// (login.botframework.com), which tests cannot reach; the refusals below are all decided
// before that, so they are the same offline as in production and never wait on the network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../../src/startBot.js';
import { loadConfig } from '../../src/config.js';
import { startConnectorStandIn, type ConnectorStandIn } from '../support/connectorStandIn.js';
import { installActivity, messageActivity, postActivity, type TeamsUser } from '../support/teamsActivities.js';
import { freshDatabase, type TestDatabase } from '../support/testDatabase.js';

const cco: TeamsUser = { id: '29:cco', aadObjectId: 'aad-cco-0001', name: 'Chris CCO' };
const channel = { id: '19:leadership@thread.tacv2', conversationType: 'channel' } as const;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A well-formed JWT from an issuer that is not the Bot Framework, with a made-up signature. */
const foreignToken = `${base64url({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${base64url({ iss: 'https://evil.example', aud: '11111111-2222-3333-4444-555555555555', exp: Math.floor(Date.now() / 1000) + 600 })}.c2lnbmF0dXJl`;

let db: TestDatabase;
let connector: ConnectorStandIn;
let bot: RunningBot;

beforeAll(async () => {
  db = await freshDatabase();
  connector = await startConnectorStandIn();
  const config = loadConfig({
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
    MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
    TEAMS_TENANT_IDS: 'tenant-0001',
    BOOTSTRAP_CCO_TEAMS_IDS: cco.aadObjectId,
  });
  bot = await startBot(config, { log: () => {} });
});

afterAll(async () => {
  await bot?.stop();
  await connector?.close();
  await db?.drop();
});

describe('Teams with an Azure Bot registration', () => {
  it.each([
    ['no Authorization header', {}],
    ['a token that is not a JWT', { authorization: 'Bearer garbage' }],
    ['a JWT from an issuer other than the Bot Framework', { authorization: `Bearer ${foreignToken}` }],
    ['another scheme', { authorization: 'Basic dXNlcjpwYXNz' }],
  ])('refuses an activity with %s (401), remembers nothing and sends nothing', async (_what, headers) => {
    const install = await postActivity(bot.url, installActivity(connector.serviceUrl, channel, cco), headers);
    const command = await postActivity(
      bot.url,
      messageActivity(connector.serviceUrl, channel, cco, 'digest subscribe'),
      headers,
    );
    expect(install.status).toBe(401);
    expect(command.status).toBe(401);

    expect(await db.database.prisma.teamsConversation.count()).toBe(0);
    expect(await bot.services.digestSubscriptions()).toEqual([]);
    expect(connector.calls).toEqual([]);
  });

  it('refuses what is not an activity before looking at it', async () => {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(response.status).toBe(400);
    const get = await fetch(`${bot.url}/api/messages`);
    expect(get.status).toBe(405);
  });
});

describe('Teams settings', () => {
  const database = { DATABASE_URL: 'postgresql://localhost/x' };
  it('refuses to start with emulator mode and real credentials together, or with half the credentials', () => {
    expect(() =>
      loadConfig({ ...database, TEAMS_EMULATOR: 'true', MICROSOFT_APP_ID: 'id', MICROSOFT_APP_PASSWORD: 'p' }),
    ).toThrow(/TEAMS_EMULATOR: turns authentication off/);
    expect(() => loadConfig({ ...database, MICROSOFT_APP_ID: 'id' })).toThrow(
      /MICROSOFT_APP_PASSWORD: is needed with MICROSOFT_APP_ID/,
    );
    expect(() => loadConfig({ ...database, MICROSOFT_APP_PASSWORD: 'p' })).toThrow(/MICROSOFT_APP_ID: is needed/);
    expect(() =>
      loadConfig({
        ...database,
        MICROSOFT_APP_ID: 'id',
        MICROSOFT_APP_PASSWORD: 'p',
        MICROSOFT_APP_TYPE: 'SingleTenant',
      }),
    ).toThrow(/MICROSOFT_APP_TENANT_ID/);
    expect(
      loadConfig({
        ...database,
        MICROSOFT_APP_ID: 'id',
        MICROSOFT_APP_TYPE: 'UserAssignedMSI',
        MICROSOFT_APP_TENANT_ID: 't',
      }).MICROSOFT_APP_TYPE,
    ).toBe('UserAssignedMSI');
  });
});
