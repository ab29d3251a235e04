// The services every adapter calls, on a fresh real PostgreSQL database, for tests that
// exercise the domain without Slack or Teams in front of it.
import { loadConfig } from '../../src/config.js';
import type { FeedbackInput, FeedbackView } from '../../src/domain/feedback.js';
import type { Person } from '../../src/domain/people.js';
import { createServices, type Services } from '../../src/services.js';
import type { Db } from '../../src/store/database.js';
import { freshDatabase, type TestDatabase } from './testDatabase.js';

export interface Workplace {
  test: TestDatabase;
  db: Db;
  services: Services;
}

/** Services with the default company language loaded; `env` as the bot's environment. */
export async function servicesOnFreshDatabase(
  env: Record<string, string>,
  options: Parameters<typeof createServices>[2] = {},
): Promise<Workplace> {
  const test = await freshDatabase();
  const db = test.database.prisma;
  const services = createServices(db, loadConfig(env), { log: () => {}, ...options });
  await services.loadLanguage();
  return { test, db, services };
}

/** Logs feedback as a person would and waits for it to be sorted, as the adapters do after answering. */
export async function logAndSort(services: Services, by: Person, input: FeedbackInput): Promise<FeedbackView> {
  const logged = await services.logFeedback(by, input);
  if (!logged.ok) throw new Error(`expected feedback to be logged, got: ${logged.message}`);
  const sorted = await services.sortFeedback(logged.view.feedback.id);
  if (!sorted) throw new Error('sorting lost the feedback');
  return sorted;
}
