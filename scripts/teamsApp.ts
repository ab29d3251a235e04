// The Teams app package: manifests/teams/manifest.json with this deployment's Azure Bot
// app id and public host filled in, plus the two icons, zipped at the root as Teams
// expects. Everything is checked before zipping, so a package that Teams would refuse
// on upload is refused here with the reason.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync } from 'fflate';
import { z } from 'zod';
import { readPngInfo } from './png.js';

export const teamsManifestDir = path.resolve('manifests/teams');

const packageSettings = z.object({
  MICROSOFT_APP_ID: z
    .string({ error: 'is not set: use the Microsoft App ID of your Azure Bot (Configuration page)' })
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'must be the Azure Bot’s Microsoft App ID, a GUID such as 00000000-0000-0000-0000-000000000000',
    ),
  BOT_PUBLIC_HOST: z
    .string({ error: 'is not set: use the public HTTPS host of the bot, such as growth.example.com' })
    .trim()
    .regex(/^[a-z0-9.-]+(:\d+)?$/i, 'must be a host name such as growth.example.com, without https:// or a path'),
  // Teams shows these on the app's details; the bot serves plain pages at /privacy and /terms for when the company has none of its own.
  PRIVACY_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https$/, error: 'must be an https URL such as https://growth.example.com/privacy' }).optional(),
  ),
  TERMS_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.url({ protocol: /^https$/, error: 'must be an https URL such as https://growth.example.com/terms' }).optional(),
  ),
});

export type PackageSettings = z.infer<typeof packageSettings>;

export function readPackageSettings(env: NodeJS.ProcessEnv): PackageSettings {
  const parsed = packageSettings.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new Error(
    `Cannot build the Teams app package:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')} ${issue.message}`).join('\n')}`,
  );
}

/** The privacy and terms pages Teams links to: the settings, or else the bot's own pages. */
export function legalPages(settings: PackageSettings): { privacy: string; terms: string } {
  return {
    privacy: settings.PRIVACY_URL ?? `https://${settings.BOT_PUBLIC_HOST}/privacy`,
    terms: settings.TERMS_URL ?? `https://${settings.BOT_PUBLIC_HOST}/terms`,
  };
}

const icons = { 'color.png': 192, 'outline.png': 32 } as const;

export async function buildTeamsPackage(
  settings: PackageSettings,
  version: string,
  dir = teamsManifestDir,
): Promise<Uint8Array> {
  const template = await readFile(path.join(dir, 'manifest.json'), 'utf8');
  const values: Record<string, string> = {
    MICROSOFT_APP_ID: settings.MICROSOFT_APP_ID,
    BOT_PUBLIC_HOST: settings.BOT_PUBLIC_HOST,
    PRIVACY_URL: legalPages(settings).privacy,
    TERMS_URL: legalPages(settings).terms,
    VERSION: version,
  };
  const manifest = template.replace(/\{\{([A-Z_]+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`manifest.json names {{${name}}}, which the package script does not know`);
    return value;
  });
  JSON.parse(manifest); // a broken template fails here, not in Teams' upload dialog

  const files: Record<string, Uint8Array> = { 'manifest.json': new TextEncoder().encode(manifest) };
  for (const [name, size] of Object.entries(icons)) {
    const png = await readFile(path.join(dir, name));
    const info = readPngInfo(png);
    if (info.width !== size || info.height !== size)
      throw new Error(`${name} must be ${size}×${size} pixels; it is ${info.width}×${info.height}`);
    files[name] = png;
  }
  return zipSync(files, { level: 9 });
}
