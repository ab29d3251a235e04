// The check every import makes before it opens the database: the file can be read and is UTF-8
// text. A file in another encoding would store garbled words, so it is refused whole.
import { open } from 'node:fs/promises';
import { assertUtf8, NotUtf8 } from '../ingest/csvFile.js';

/** Why `file` cannot be imported, in words for the person who ran the command; null when it can. */
export async function unimportableFile(file: string): Promise<string | null> {
  try {
    // Opening and reading says more than access(): a folder or an unreadable file is named as such.
    await (await open(file)).close();
    await assertUtf8(file);
    return null;
  } catch (error) {
    if (error instanceof NotUtf8) return `Could not import ${file}: it ${error.message} Nothing was stored.`;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    return `Could not read ${file}: ${why}. Nothing was stored.`;
  }
}
