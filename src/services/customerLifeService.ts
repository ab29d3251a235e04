// The CCO's settings for lapsed customers and value tiers, wired to the database.
import { createCustomerLifeSettings } from '../domain/customerLife.js';
import type { People } from '../domain/people.js';
import { customerLifeSettingsStore } from '../store/customerLifeStore.js';
import type { Db } from '../store/database.js';

export function createCustomerLifeService(db: Db, people: People) {
  return createCustomerLifeSettings(customerLifeSettingsStore(db), people);
}
