// Signed, expiring links to the digest page: HMAC-SHA256 over the path, the query and the
// expiry, so a link opens exactly the page it was made for, until it runs out.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DigestLinkMaker } from '../domain/digestLinks.js';
import type { StateOfTheCustomerLinkMaker } from '../domain/stateOfTheCustomer.js';

export type LinkCheck = { ok: true } | { ok: false; reason: 'missing' | 'expired' | 'tampered' };

export interface PreviewLinks {
  /** `pathAndQuery` (such as `/?week=2026-11-16`) with `expires` and `signature` added. */
  sign(pathAndQuery: string, expiresAt: Date): string;
  /** Whether a request's path and query carry a signature we made, still in date. */
  check(pathAndQuery: string, now: Date): LinkCheck;
}

// Versioned, so a future change of what is signed can never accept an old link by accident.
const purpose = 'digest-page-link-v1';

/** Path and query with the signature taken out and the parameters sorted: what the signature covers. */
function canonical(url: URL): string {
  const params = new URLSearchParams(url.searchParams);
  params.delete('signature');
  params.sort();
  return `${url.pathname}?${params.toString()}`;
}

function parse(pathAndQuery: string): URL {
  // Only the path and query matter; the host is whatever the link was opened on.
  return new URL(pathAndQuery, 'http://link.invalid');
}

export function previewLinks(secret: string): PreviewLinks {
  const mac = (text: string) => createHmac('sha256', secret).update(`${purpose}\n${text}`).digest();
  return {
    sign(pathAndQuery, expiresAt) {
      const url = parse(pathAndQuery);
      url.searchParams.set('expires', String(Math.floor(expiresAt.getTime() / 1000)));
      url.searchParams.set('signature', mac(canonical(url)).toString('base64url'));
      return `${url.pathname}${url.search}`;
    },
    check(pathAndQuery, now) {
      const url = parse(pathAndQuery);
      const signature = url.searchParams.get('signature');
      const expires = url.searchParams.get('expires');
      if (signature === null && expires === null) return { ok: false, reason: 'missing' };
      // Compared as text, not decoded: base64 decoding ignores the last character's spare bits, so a changed link could still pass.
      const given = Buffer.from(signature ?? '');
      const expected = Buffer.from(mac(canonical(url)).toString('base64url'));
      // timingSafeEqual needs equal lengths; a length says nothing about the key.
      if (given.length !== expected.length || !timingSafeEqual(given, expected))
        return { ok: false, reason: 'tampered' };
      if (!/^\d+$/.test(expires ?? '')) return { ok: false, reason: 'tampered' };
      if (Number(expires) * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true };
    },
  };
}

/**
 * Links to the digest page at `baseUrl` (PUBLIC_URL, or the bot's own address). A path in
 * PUBLIC_URL (a proxy's prefix) is kept in front; the bot checks only the part it serves.
 */
/** Where the bot serves a period's movement chart, behind the same signed links as the page. */
export const movementChartPath = '/charts/movement.png';

export function digestPageLinks(links: PreviewLinks, baseUrl: string, onPublicUrl: boolean): DigestLinkMaker {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    link(period, expiresAt) {
      // Weeks keep the address they always had, so a link reads the same as before there were other periods.
      const query: Record<string, string> | undefined =
        period && (period.kind === 'week' ? { week: period.start } : { period: period.name });
      const page = query ? `/?${new URLSearchParams(query).toString()}` : '/';
      return { url: `${base}${links.sign(page, expiresAt)}`, onPublicUrl };
    },
    chartLink(period, expiresAt) {
      const query = new URLSearchParams({ period: period.name }).toString();
      return `${base}${links.sign(`${movementChartPath}?${query}`, expiresAt)}`;
    },
  };
}

/** The State of the Customer's full report: one period's page and PDF, each signed for its own path. */
export const stateOfTheCustomerPaths = { page: '/state-of-the-customer', pdf: '/state-of-the-customer.pdf' } as const;

export function stateOfTheCustomerLinks(
  links: PreviewLinks,
  baseUrl: string,
  onPublicUrl: boolean,
): StateOfTheCustomerLinkMaker {
  const base = baseUrl.replace(/\/+$/, '');
  const signed = (path: string, period: string, expiresAt: Date) =>
    `${base}${links.sign(`${path}?${new URLSearchParams({ period }).toString()}`, expiresAt)}`;
  return {
    links(period, expiresAt) {
      return {
        page: signed(stateOfTheCustomerPaths.page, period.name, expiresAt),
        pdf: signed(stateOfTheCustomerPaths.pdf, period.name, expiresAt),
        onPublicUrl,
      };
    },
  };
}
