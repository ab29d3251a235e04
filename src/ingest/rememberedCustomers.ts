// The customers a long import has already stored, so a chunk need not send them again when
// their details are unchanged. Bounded by an estimate of the bytes it holds, so memory does
// not grow with the number of customers in the file.

export interface CustomerDetails {
  name: string;
  segment: string;
  contact: string | null;
  marketArea: string | null;
}

/**
 * What one entry costs beyond its characters: the Map's slot and hash bucket and two string
 * headers. Measured on Node 20 at about 120 bytes an entry for the bench's customers.
 */
const entryOverhead = 80;

/**
 * About 250,000 typical customers. Sending a forgotten customer again costs little memory but
 * time: with 200,000 customers in a 1,000,000-row file, half this budget made the import a sixth slower.
 */
export const defaultBudgetBytes = 32 * 1024 * 1024;

// Text is validated to hold no NUL, and a blank optional cell is absent, so joining the fields
// with NUL and writing absent as empty can be read back exactly.
const separator = '\u0000';

/**
 * A cell is a slice of the megabyte of the file it was read from, and a slice keeps that text
 * alive: what is remembered is copied, or the cache would hold the file.
 */
function ownCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function encode(details: CustomerDetails): string {
  return ownCopy([details.name, details.segment, details.contact ?? '', details.marketArea ?? ''].join(separator));
}

function decode(value: string): CustomerDetails {
  const [name, segment, contact, marketArea] = value.split(separator) as [string, string, string, string];
  return { name, segment, contact: contact || null, marketArea: marketArea || null };
}

export function rememberedCustomers(budgetBytes = defaultBudgetBytes) {
  // One flat string per customer rather than an object of four strings: 40% less memory.
  const remembered = new Map<string, string>();
  let bytes = 0;
  // Characters, not bytes: text outside Latin-1 takes two bytes a character, so the budget is an estimate.
  const cost = (key: string, value: string) => entryOverhead + key.length + value.length;

  /**
   * Forgets every other entry. Forgetting the oldest would forget everything when a file cycles
   * through more customers than fit (the bench's file does); halving keeps half of them useful,
   * and an entry that is never seen again is gone after a few rounds.
   */
  function halve(): void {
    let forget = true;
    for (const [key, value] of remembered) {
      if (forget) {
        remembered.delete(key);
        bytes -= cost(key, value);
      }
      forget = !forget;
    }
  }

  return {
    get(customerId: string): CustomerDetails | undefined {
      const value = remembered.get(customerId);
      return value === undefined ? undefined : decode(value);
    },
    /** Stored with these details (a contact or market area left out keeps the one remembered, as the upsert does). */
    set(customerId: string, details: CustomerDetails): void {
      const before = remembered.get(customerId);
      const merged = before === undefined ? details : mergedWith(decode(before), details);
      const value = encode(merged);
      if (before !== undefined) {
        bytes -= cost(customerId, before);
        remembered.delete(customerId);
      }
      const key = ownCopy(customerId);
      const added = cost(key, value);
      // An entry bigger than the whole budget is simply not remembered.
      if (added > budgetBytes) return;
      while (bytes + added > budgetBytes) halve();
      remembered.set(key, value);
      bytes += added;
    },
    get size(): number {
      return remembered.size;
    },
    /** The estimate the budget is held to. */
    get bytes(): number {
      return bytes;
    },
  };
}

function mergedWith(before: CustomerDetails, now: CustomerDetails): CustomerDetails {
  return {
    name: now.name,
    segment: now.segment,
    contact: now.contact ?? before.contact,
    marketArea: now.marketArea ?? before.marketArea,
  };
}
