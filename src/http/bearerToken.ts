// The one check of an `Authorization: Bearer <token>` header, for every API guarded by a token.
import { timingSafeEqual } from 'node:crypto';

/** Constant-time for tokens of the right length; a length alone says nothing about the token. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
