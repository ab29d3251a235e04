// npm run teams:package: writes dist/teams-app.zip, to upload in Teams (Apps → Manage
// your apps → Upload an app) or in the Teams admin center.
// Needs MICROSOFT_APP_ID and BOT_PUBLIC_HOST; PRIVACY_URL and TERMS_URL default to the bot's
// own /privacy and /terms pages (README: Connect Microsoft Teams).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildTeamsPackage, legalPages, readPackageSettings } from './teamsApp.js';

const output = path.resolve(process.argv[2] ?? 'dist/teams-app.zip');
try {
  const settings = readPackageSettings(process.env);
  const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
  const zip = await buildTeamsPackage(settings, version);
  await mkdir(path.dirname(output), { recursive: true });
  await writeFile(output, zip);
  console.log(
    `wrote ${path.relative(process.cwd(), output)} for app ${settings.MICROSOFT_APP_ID} at https://${settings.BOT_PUBLIC_HOST}/api/messages`,
  );
  const pages = legalPages(settings);
  console.log(`privacy page ${pages.privacy}, terms of use ${pages.terms}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
