// What the sync benchmarks share: ids as phones make them, signing in, one
// sync request timed, and a tally of answers and their times.
import { randomBytes } from 'node:crypto';

export function uuidv7() {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Signs in; resolves with the session cookie. */
export async function signIn(url, login, secret) {
  const res = await fetch(`${url}/api/auth/sign_in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ login, secret }),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  const cookie = (res.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(';')[0])
    .find((c) => c.startsWith('jalon_session='));
  if (!cookie) throw new Error(`sign-in of ${login} answered ${res.status} without a session`);
  return cookie;
}

/** One sync request; resolves with [status, body or null, ms, retryAfterSeconds]. */
export async function post(url, cookie, route, body, timeoutMs = 30_000) {
  const start = performance.now();
  try {
    const res = await fetch(`${url}/api/sync/v1/${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    const ms = performance.now() - start;
    const retryAfter = Number(res.headers.get('retry-after') ?? 0);
    return [res.status, res.ok ? JSON.parse(text) : null, ms, retryAfter];
  } catch (err) {
    return [err.name === 'TimeoutError' ? 'timeout' : 'network', null, performance.now() - start, 0];
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Answers by status, and the times of the successful ones. */
export class Tally {
  constructor() {
    this.times = [];
    this.statuses = {};
  }
  add(status, ms) {
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status === 200) this.times.push(ms);
  }
  at(q) {
    const s = [...this.times].sort((a, b) => a - b);
    return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
  }
  max() {
    return this.times.length ? Math.max(...this.times) : NaN;
  }
  /** Answers that are neither 200 nor 503 (busy, sent again later). */
  errors() {
    return Object.entries(this.statuses)
      .filter(([s]) => s !== '200' && s !== '503')
      .reduce((n, [, c]) => n + c, 0);
  }
}
