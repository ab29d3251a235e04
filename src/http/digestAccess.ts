// Who may open the digest page once a platform is connected: a request with a link the bot
// signed in chat, or with the operator's PREVIEW_TOKEN as a bearer token. Nothing about
// where the request came from counts (no "trust localhost", no X-Forwarded-*), so a
// reverse proxy on the same machine cannot open it for everyone.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PreviewLinks } from './previewLinks.js';
import { renderPlainPage } from './plainPage.js';
import { sendHtml } from './respond.js';

export interface DigestAccess {
  links: PreviewLinks;
  /** PREVIEW_TOKEN: for the operator's own tools, sent as `Authorization: Bearer …`. */
  previewToken?: string;
  clock: () => Date;
}

export type AccessVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'missing' | 'expired' | 'tampered' | 'wrongToken' };

/** Headers every private page carries: never cached, and its address (the link) never sent on as a Referer. */
export const privateHeaders = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

function sameToken(given: string, expected: string): boolean {
  // Hashing first makes both sides the same length, so the comparison is constant-time.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export function checkDigestAccess(request: IncomingMessage, access: DigestAccess): AccessVerdict {
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer !== undefined && access.previewToken)
    return sameToken(bearer, access.previewToken) ? { allowed: true } : { allowed: false, reason: 'wrongToken' };
  const link = access.links.check(request.url ?? '/', access.clock());
  return link.ok ? { allowed: true } : { allowed: false, reason: link.reason };
}

const why: Record<Exclude<AccessVerdict, { allowed: true }>['reason'], string> = {
  missing: 'This page shows customer data, so it only opens with a private link.',
  expired: 'This link has expired: links to the digest work for 24 hours.',
  tampered:
    'This link is not one the bot made, or it was changed after it was made (even one character), so it does not open the digest.',
  wrongToken: 'The bearer token sent with this request is not the PREVIEW_TOKEN this bot was started with.',
};

/** What a refused page is and how to get a link to it; the digest's unless said otherwise. */
export interface PrivatePageWords {
  title: string;
  howToGetALink: string;
}

const digestPageWords: PrivatePageWords = {
  title: 'The customer asset digest is private',
  howToGetALink:
    'If you are the CCO or a leader, type `/digest link` in Slack, or `digest link` to the bot in a personal chat in Teams. The bot answers only you with a link that works for 24 hours. For another week, add its Monday: `/digest link 2026-11-16`.',
};

/** 401 with a short page that says why and how to get a link; no customer data. */
export function refuseDigestPage(
  response: ServerResponse,
  reason: Exclude<AccessVerdict, { allowed: true }>['reason'],
  words: PrivatePageWords = digestPageWords,
): void {
  const page = renderPlainPage(words.title, [
    { paragraphs: [why[reason]] },
    {
      heading: 'How to get a link',
      paragraphs: [words.howToGetALink, 'Otherwise, ask your CCO for the digest, or for a link.'],
    },
  ]);
  response.setHeader('www-authenticate', 'Bearer realm="customer asset digest"');
  sendHtml(response, 401, page, privateHeaders);
}
