// The company language from a JSON file (LANGUAGE_FILE), checked at start so a typo stops
// the bot with a message instead of filing feedback under the wrong names.
import { readFile } from 'node:fs/promises';
import { vocabularyFile, type VocabularyFile } from './domain/language.js';

export async function readLanguageFile(path: string): Promise<VocabularyFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`LANGUAGE_FILE ${path} could not be read as JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = vocabularyFile.safeParse(json);
  if (!parsed.success) {
    throw new Error(`LANGUAGE_FILE ${path} is not valid:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`);
  }
  return parsed.data;
}
