// The server killed with SIGKILL (power cut, out of memory) while phones
// push: restarted on the same database file, every batch it acknowledged is
// there once, and every batch the phones send again lands once.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { test, expect, DEMO } from '../support/fixtures';
import { freshDataDir, startJalon, type Jalon } from '../support/server';

const PHONES = 4;
const BATCHES = 30;
const PER_BATCH = 10;

interface SimPhone {
  cookie: string;
  device: string;
  workers: string[];
  /** Record ids the server acknowledged as applied. */
  acked: string[];
  /** Record ids sent, acknowledged or not. */
  sent: string[];
}

async function call(url: string, cookie: string, route: string, body: unknown) {
  try {
    const res = await fetch(`${url}/api/sync/v1/${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, body: res.ok ? await res.json() : await res.text() };
  } catch {
    return { status: 0, body: null }; // the server is gone: the phone keeps its batch
  }
}

async function session(url: string, login: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign_in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ login, secret: DEMO.staffPassword }),
    redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('jalon_session='));
  expect(cookie, `a session for ${login}`).toBeTruthy();
  return cookie!;
}

/** Pages through everything the session may read; record id → times received. */
async function pullAll(url: string, cookie: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  let req = { cursor: 0, scope: '', roster: '' };
  for (;;) {
    const res = await call(url, cookie, 'pull', req);
    expect(res.status).toBe(200);
    for (const r of res.body.records) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
    req = { cursor: res.body.cursor, scope: res.body.scope, roster: res.body.roster };
    if (!res.body.more) return seen;
  }
}

test('a server killed mid-push loses nothing it acknowledged and applies every retry once', async () => {
  test.setTimeout(120_000);
  const dataDir = freshDataDir();
  let server: Jalon = await startJalon({ dataDir });
  let url = server.url;
  try {
    const phones: SimPhone[] = [];
    for (let i = 0; i < PHONES; i++) {
      const cookie = await session(url, i % 2 ? DEMO.supervisorB : DEMO.supervisorA);
      const first = await call(url, cookie, 'pull', { cursor: 0, scope: '', roster: '' });
      expect(first.status).toBe(200);
      const workers = first.body.workers.filter((w: { writable: boolean }) => w.writable).map((w: { id: string }) => w.id);
      phones.push({ cookie, device: randomUUID(), workers, acked: [], sent: [] });
    }
    const day = new Date().toISOString().slice(0, 10);
    let restarting: Promise<void> | null = null;
    let killedAfter = -1;

    // Each phone sends its batches in order; one that got no answer is sent
    // again unchanged (same batch number, same mutations), as the app does.
    const run = async (phone: SimPhone, n: number) => {
      for (let batch = 1; batch <= BATCHES; batch++) {
        const mutations = Array.from({ length: PER_BATCH }, (_, k) => {
          const record_id = randomUUID();
          phone.sent.push(record_id);
          const worker_id = phone.workers[k % phone.workers.length];
          return { id: randomUUID(), record_type: 'observation', schema: 1, record_id, op: 'create', base_version: 0,
            data: { worker_id, observed_on: day, kind: 'skill', body: `Téléphone ${n}, lot ${batch}, note ${k}.` } };
        });
        for (;;) {
          const res = await call(url, phone.cookie, 'push', { device_id: phone.device, batch, mutations });
          if (res.status === 200) {
            for (const ack of res.body.acks) expect(ack).toMatchObject({ status: 'applied', version: 1 });
            phone.acked.push(...mutations.map((m) => m.record_id));
            break;
          }
          expect([0, 503], `push answered ${res.status}: ${res.body}`).toContain(res.status);
          if (restarting) await restarting;
          await new Promise((r) => setTimeout(r, 100));
        }
        // Once a third of the work is acknowledged, the power goes out.
        const total = phones.reduce((sum, p) => sum + p.acked.length, 0);
        if (!restarting && total >= (PHONES * BATCHES * PER_BATCH) / 3) {
          killedAfter = total;
          restarting = (async () => {
            server.proc.kill('SIGKILL');
            await server.exited;
            server = await startJalon({ dataDir });
            url = server.url;
          })();
        }
      }
    };
    await Promise.all(phones.map(run));
    await restarting;
    expect(killedAfter).toBeGreaterThan(0);

    const counsellor = await session(url, DEMO.counsellor);
    const received = await pullAll(url, counsellor);
    const sent = phones.flatMap((p) => p.sent);
    const acked = phones.flatMap((p) => p.acked);
    expect(new Set(acked).size).toBe(PHONES * BATCHES * PER_BATCH);
    expect(acked.filter((id) => !received.has(id)), 'acknowledged records missing after the restart').toEqual([]);
    expect([...received.values()].filter((times) => times > 1), 'records received twice').toEqual([]);
    expect(sent.filter((id) => !received.has(id)), 'records that never landed').toEqual([]);
    console.log(`killed with SIGKILL after ${killedAfter} acknowledged records; ${acked.length} landed once each`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
