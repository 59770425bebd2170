// Two Jalon instances on one PostgreSQL database behind a load balancer, as
// a hosted network of structures runs them: one phone's requests alternate
// between the two. Its session holds on both; a push whose answer is lost
// on its way back from one instance is sent again to the other and lands
// once; what one instance stored, the other serves.
import http from 'node:http';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { test, expect, hydrated, readyOffline, DEMO } from '../support/fixtures';
import { note } from '../support/observations';
import { ENGINE, freshDataDir, postgresDatabase, startJalon, type Jalon } from '../support/server';

test.skip(ENGINE !== 'postgresql', 'two instances share one PostgreSQL database');

interface Balancer {
  url: string;
  /** Requests each instance served, and pushes among them. */
  served: number[];
  pushes: number[];
  /** The next push reaches its instance, but its answer never reaches the phone. */
  loseNextPushAnswer: boolean;
  lost: number;
  close(): Promise<void>;
}

/** Round robin, pushes on a round of their own so that they alternate
 * strictly: a push sent again always reaches the other instance. */
async function balancer(upstreams: string[]): Promise<Balancer> {
  let turn = 0;
  let pushTurn = 0;
  const b: Balancer = {
    url: '',
    served: upstreams.map(() => 0),
    pushes: upstreams.map(() => 0),
    loseNextPushAnswer: false,
    lost: 0,
    close: async () => undefined,
  };
  const server = http.createServer((req, res) => {
    const push = req.method === 'POST' && (req.url ?? '').startsWith('/api/sync/v1/push');
    const i = push ? pushTurn++ % upstreams.length : turn++ % upstreams.length;
    b.served[i]++;
    if (push) b.pushes[i]++;
    const lose = push && b.loseNextPushAnswer;
    if (lose) b.loseNextPushAnswer = false;
    const target = new URL(upstreams[i]);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        if (lose) {
          // The instance applied the batch; the phone hears nothing back.
          answer.resume();
          answer.on('end', () => {
            b.lost++;
            req.socket.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  b.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  b.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return b;
}

function count(databaseUrl: string, sql: string): number {
  return Number(execFileSync('psql', [databaseUrl, '-tAc', sql]).toString().trim());
}

test('one phone alternating between two instances: signed in on both, every write lands once', async ({ browser }) => {
  test.setTimeout(180_000);
  const database = postgresDatabase(freshDataDir());
  const instances: Jalon[] = [];
  // One after the other: the second finds the schema and the demo in place.
  for (let n = 0; n < 2; n++) instances.push(await startJalon({ args: ['--database-url', database] }));
  const lb = await balancer(instances.map((i) => i.url));
  const context = await browser.newContext({ baseURL: lb.url, viewport: { width: 360, height: 640 } });
  try {
    const page = await context.newPage();
    await readyOffline(page, DEMO.supervisorA, DEMO.staffPassword);
    expect(Math.min(...lb.served), 'both instances served the phone').toBeGreaterThan(0);

    const marker = `lb-${Date.now()}`;
    const sent = page.locator('.observation', { hasText: marker }).locator('.chip', { hasText: 'Envoyée' });
    const showSent = async (n: number) => {
      await page.goto('/observations');
      await hydrated(page);
      await page.locator('.team-row__name', { hasText: 'Amina Diallo' }).click();
      await expect(sent).toHaveCount(n, { timeout: 60_000 });
    };

    // Online: two notes, each pushed to one instance.
    await note(page, 'Amina Diallo', 'Atout', `${marker} 1 a guidé le nouveau sur le chantier`);
    await note(page, 'Amina Diallo', 'Atout', `${marker} 2 a rangé le camion sans qu'on le demande`);
    await showSent(2);

    // The answer to the next push is lost: the phone sends the batch again,
    // to the other instance, which recognises it.
    lb.loseNextPushAnswer = true;
    await note(page, 'Amina Diallo', 'Frein', `${marker} 3 arrivé en retard, bus supprimé`, { category: 'Mobilité' });
    await showSent(3);
    expect(lb.lost).toBe(1);

    // Offline for a while, then back.
    await context.setOffline(true);
    await note(page, 'Amina Diallo', 'Incident', `${marker} 4 a oublié ses gants`);
    await note(page, 'Amina Diallo', 'Atout', `${marker} 5 a aidé à charger la remorque`);
    await context.setOffline(false);
    await showSent(5);

    expect(Math.min(...lb.pushes), `pushes per instance: ${lb.pushes}`).toBeGreaterThan(0);
    // Landed once each, on the one database.
    expect(count(database, `SELECT COUNT(*) FROM observations WHERE body LIKE '${marker} %'`)).toBe(5);
    expect(count(database, `SELECT COUNT(DISTINCT body) FROM observations WHERE body LIKE '${marker} %'`)).toBe(5);
    // Both instances answer for the same database.
    for (const instance of instances) {
      const health = await (await fetch(`${instance.url}/healthz`)).json();
      expect(health.engine).toBe('postgresql');
    }
  } finally {
    await context.close();
    await lb.close();
    for (const instance of instances) await instance.stop();
  }
});
