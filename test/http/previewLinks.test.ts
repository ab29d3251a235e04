import { describe, expect, it } from 'vitest';
import { previewLinks } from '../../src/http/previewLinks.js';

const now = new Date('2026-12-01T12:00:00Z');
const tomorrow = new Date('2026-12-02T12:00:00Z');

describe('signed digest links', () => {
  const links = previewLinks('a-key-of-at-least-thirty-two-characters');

  it('opens the page it was made for, with its parameters in any order, until it expires', () => {
    const signed = links.sign('/?week=2026-11-16', tomorrow);
    expect(links.check(signed, now)).toEqual({ ok: true });
    const url = new URL(signed, 'http://x');
    const reordered = `/?signature=${url.searchParams.get('signature')}&expires=${url.searchParams.get('expires')}&week=2026-11-16`;
    expect(links.check(reordered, now)).toEqual({ ok: true });
    expect(links.check(signed, new Date('2026-12-02T12:00:01Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses another path, an added parameter, another key, or no signature at all', () => {
    const signed = links.sign('/', tomorrow);
    expect(links.check(signed.replace('/?', '/privacy?'), now)).toEqual({ ok: false, reason: 'tampered' });
    expect(links.check(`${signed}&week=2026-11-16`, now)).toEqual({ ok: false, reason: 'tampered' });
    expect(previewLinks('another-key-of-at-least-thirty-two-chars').check(signed, now)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    expect(links.check('/?week=2026-11-16', now)).toEqual({ ok: false, reason: 'missing' });
    expect(links.check(signed.replace(/signature=[^&]+/, 'signature='), now)).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });
});
