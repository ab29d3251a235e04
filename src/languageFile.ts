// The company language from a JSON file (LANGUAGE_FILE), checked at start so a typo stops
// the bot with a message instead of filing feedback under the wrong names.
import { readFile } from 'node:fs/promises';
import { momentsFile, type MomentDefinition } from './domain/moments.js';
import { languageFile, type LanguageFile } from './domain/language.js';

export async function readLanguageFile(path: string): Promise<LanguageFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `LANGUAGE_FILE ${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const parsed = languageFile.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `LANGUAGE_FILE ${path} is not valid:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

/** The same file's `moments` list, when it has one: the moments that matter, checked like the stages. */
export async function readMomentsFile(path: string): Promise<MomentDefinition[] | undefined> {
  const json = JSON.parse(await readFile(path, 'utf8')) as { moments?: unknown };
  if (json.moments === undefined) return undefined;
  const parsed = momentsFile.safeParse(json.moments);
  if (!parsed.success) {
    throw new Error(
      `LANGUAGE_FILE ${path} is not valid:\n${parsed.error.issues.map((issue) => `  moments.${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}
