import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOwnPng, encodePng, readPngInfo } from '../../scripts/png.js';
import { buildTeamsPackage, readPackageSettings, teamsManifestDir } from '../../scripts/teamsApp.js';
import { digestHelp } from '../../src/teams/digestCommand.js';
import { parseCommand } from '../../src/teams/turns.js';

const settings = { MICROSOFT_APP_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301', BOT_PUBLIC_HOST: 'growth.example.com' };
const temporary: string[] = [];
afterAll(() => Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))));

interface Manifest {
  manifestVersion: string;
  id: string;
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  icons: { color: string; outline: string };
  bots: Array<{
    botId: string;
    scopes: string[];
    commandLists: Array<{ scopes: string[]; commands: Array<{ title: string; description: string }> }>;
  }>;
  validDomains: string[];
}

describe('the Teams app icons', () => {
  it('are a 192×192 full-colour PNG and a 32×32 white-on-transparent PNG', async () => {
    const colour = decodeOwnPng(await readFile(path.join(teamsManifestDir, 'color.png')));
    expect([colour.width, colour.height]).toEqual([192, 192]);
    const alphas = new Set<number>();
    for (let index = 3; index < colour.pixels.length; index += 4) alphas.add(colour.pixels[index]!);
    expect([...alphas]).toEqual([255]);

    const outline = decodeOwnPng(await readFile(path.join(teamsManifestDir, 'outline.png')));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let white = 0;
    for (let index = 0; index < outline.pixels.length; index += 4) {
      const [r, g, b, a] = outline.pixels.subarray(index, index + 4);
      if (a === 0) continue;
      expect([r, g, b, a]).toEqual([255, 255, 255, 255]);
      white += 1;
    }
    expect(white).toBeGreaterThan(50);
    expect(white).toBeLessThan(32 * 32 - 50);
  });
});

describe('npm run teams:package', () => {
  it('zips the manifest, with this app id and host filled in, and both icons at the root', async () => {
    const files = unzipSync(await buildTeamsPackage(settings, '1.2.3'));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(readPngInfo(files['color.png']!)).toMatchObject({ width: 192, height: 192 });
    expect(readPngInfo(files['outline.png']!)).toMatchObject({ width: 32, height: 32 });

    const text = new TextDecoder().decode(files['manifest.json']);
    expect(text).not.toContain('{{');
    const manifest = JSON.parse(text) as Manifest & { version: string };
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.17);
    expect(manifest.version).toBe('1.2.3');
    expect(manifest.id).toBe(settings.MICROSOFT_APP_ID);
    expect(manifest.bots[0]!.botId).toBe(settings.MICROSOFT_APP_ID);
    expect(manifest.bots[0]!.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(manifest.validDomains).toEqual(['growth.example.com']);
    // Teams links its app details to these: the bot's own public pages, not the (private) digest.
    expect(manifest.developer).toMatchObject({
      privacyUrl: 'https://growth.example.com/privacy',
      termsOfUseUrl: 'https://growth.example.com/terms',
    });
  });

  it('links privacy and terms to the company’s own pages when PRIVACY_URL and TERMS_URL are set', async () => {
    const own = readPackageSettings({
      ...settings,
      PRIVACY_URL: 'https://example.com/legal/privacy',
      TERMS_URL: 'https://example.com/legal/terms',
    });
    const manifest = JSON.parse(
      new TextDecoder().decode(unzipSync(await buildTeamsPackage(own, '1.0.0'))['manifest.json']),
    ) as Manifest;
    expect(manifest.developer).toMatchObject({
      privacyUrl: 'https://example.com/legal/privacy',
      termsOfUseUrl: 'https://example.com/legal/terms',
    });
    expect(() => readPackageSettings({ ...settings, PRIVACY_URL: 'http://example.com/privacy' })).toThrow(
      'PRIVACY_URL must be an https URL',
    );
  });

  it('offers in Teams’ command menu exactly the commands the bot answers', async () => {
    const manifest = JSON.parse(
      new TextDecoder().decode(unzipSync(await buildTeamsPackage(settings, '1.0.0'))['manifest.json']),
    ) as Manifest;
    const [list] = manifest.bots[0]!.commandLists;
    const titles = list!.commands.map((command) => command.title);
    // Teams shows at most ten: `digest link`, `digest unsubscribe` and `resolve` (the issues list has its
    // Resolve form) are in `help` only.
    const menuDigest = digestHelp('every Monday')
      .map((entry) => entry.usage)
      .filter((usage) => usage !== 'help' && usage !== 'digest link' && usage !== 'digest unsubscribe');
    expect(titles).toEqual([
      ...menuDigest,
      'feedback',
      'issues',
      'campaign status',
      'cco',
      'priorities',
      'customer-room',
      'help',
    ]);
    // Teams shows at most ten; each must start with a word the router answers.
    expect(titles.length).toBeLessThanOrEqual(10);
    for (const title of titles)
      expect(['digest', 'feedback', 'issues', 'campaign', 'cco', 'priorities', 'customer-room', 'help']).toContain(
        parseCommand(title).name,
      );
    for (const command of list!.commands) {
      expect(command.title.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeLessThanOrEqual(128);
    }
  });

  it('refuses an icon of the wrong size', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'teams-app-'));
    temporary.push(dir);
    await cp(teamsManifestDir, dir, { recursive: true });
    await writeFile(
      path.join(dir, 'outline.png'),
      encodePng({ width: 64, height: 64, pixels: new Uint8Array(64 * 64 * 4) }),
    );
    await expect(buildTeamsPackage(settings, '1.0.0', dir)).rejects.toThrow(
      'outline.png must be 32×32 pixels; it is 64×64',
    );
  });

  it('says which setting is missing when the app id is not given, and writes nothing', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'teams-app-'));
    temporary.push(dir);
    const output = path.join(dir, 'teams-app.zip');
    const env = { ...process.env, MICROSOFT_APP_ID: '', BOT_PUBLIC_HOST: 'growth.example.com' };
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/teamsPackage.ts', output], { env });
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('MICROSOFT_APP_ID must be the Azure Bot’s Microsoft App ID'),
    });
    await expect(readFile(output)).rejects.toThrow();

    await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/teamsPackage.ts', output], {
      env: { ...env, MICROSOFT_APP_ID: settings.MICROSOFT_APP_ID },
    });
    expect(Object.keys(unzipSync(await readFile(output))).sort()).toEqual([
      'color.png',
      'manifest.json',
      'outline.png',
    ]);
  });
});
