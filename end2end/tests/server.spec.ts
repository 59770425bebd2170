// The server process itself: health, static files, start-up modes, the
// admin command, and a shutdown that lets a request in progress finish.
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { test, expect, DEMO, signIn } from '../support/fixtures';
import { BINARY, ENGINE, databaseArgs, freshDataDir, startJalon } from '../support/server';

test('GET /healthz reports the database, its engine and the schema version', async ({ request, jalon }) => {
  const res = await request.get(`${jalon.url}/healthz`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', database: 'ok', engine: ENGINE, schema_version: 21 });
  // Every answer names its request, as the server's log lines do.
  expect(res.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  const again = await request.get(`${jalon.url}/healthz`);
  expect(again.headers()['x-request-id']).not.toBe(res.headers()['x-request-id']);
  // The log line reaches us through a pipe, a moment after the answer.
  await expect.poll(() => jalon.output()).toContain(`request{id=${res.headers()['x-request-id']}`);
});

test("this deployment's build files are served pre-compressed and cached for a year", async ({ request, jalon }) => {
  const html = await (await request.get(`${jalon.url}/connexion`)).text();
  const wasm = html.match(/href="(\/b\/[0-9a-f]{16}\/pkg\/jalon\.[^."]+\.wasm)"/)?.[1];
  expect(wasm, 'the page names its wasm under the deployment\'s address').toBeTruthy();
  for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip']]) {
    const res = await request.get(`${jalon.url}${wasm}`, { headers: { 'Accept-Encoding': accept } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-encoding']).toBe(encoding);
    expect(res.headers()['content-type']).toBe('application/wasm');
    expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  // Under /pkg/ the same files are revalidated: their names alone do not
  // tell two deployments apart.
  const plain = await request.get(`${jalon.url}${wasm!.replace(/^\/b\/[0-9a-f]+/, '')}`);
  expect(plain.status()).toBe(200);
  expect(plain.headers()['cache-control']).toBe('no-cache');
  // Another deployment's address is not this one's.
  expect((await request.get(`${jalon.url}${wasm!.replace(/^\/b\/[0-9a-f]+/, '/b/0000000000000000')}`)).status()).toBe(404);
  const page = await request.get(`${jalon.url}/connexion`);
  expect(page.headers()['cache-control']).toBe('no-cache');
});

test('pages and API answers go out compressed', async ({ request, jalon }) => {
  for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip']]) {
    const page = await request.get(`${jalon.url}/connexion`, { headers: { 'Accept-Encoding': accept } });
    expect(page.status()).toBe(200);
    expect(page.headers()['content-encoding'], `/connexion with ${accept}`).toBe(encoding);
    expect(await page.text()).toContain('Se connecter');
    const api = await request.get(`${jalon.url}/api/openapi.json`, { headers: { 'Accept-Encoding': accept } });
    expect(api.status()).toBe(200);
    expect(api.headers()['content-encoding'], `/api/openapi.json with ${accept}`).toBe(encoding);
    expect((await api.json()).openapi).toBeTruthy();
  }
  // A client that asks for no encoding gets the plain text.
  const plain = await request.get(`${jalon.url}/connexion`, { headers: { 'Accept-Encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
});

test('without --demo, Jalon starts with an empty database', async ({ request }) => {
  const jalon = await startJalon({ demo: false });
  try {
    expect(jalon.output()).not.toContain('démonstration');
    const res = await request.post(`${jalon.url}/api/auth/sign_in`, {
      form: { login: DEMO.admin, secret: DEMO.staffPassword },
      headers: { Accept: 'application/json' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(401);
  } finally {
    await jalon.stop();
  }
});

test('create-structure makes a structure and its first admin, create-admin adds one', async ({ browser }) => {
  const dataDir = freshDataDir();
  const run = promisify(execFile);
  const db = databaseArgs(dataDir);
  const env = { env: { ...process.env, JALON_ADMIN_PASSWORD: 'un mot de passe solide' } };
  const { stdout } = await run(
    BINARY,
    ['create-structure', ...db, '--structure', 'Régie des Coteaux', '--login', 'r.dupuis', '--name', 'Rachel Dupuis'],
    env,
  );
  expect(stdout).toContain('« r.dupuis »');
  // Too short a password is refused, and nothing is written.
  await expect(
    run(BINARY, ['create-structure', ...db, '--structure', 'X', '--login', 'x', '--name', 'X'], {
      env: { ...process.env, JALON_ADMIN_PASSWORD: 'court' },
    }),
  ).rejects.toThrow(/au moins 10 caractères/);
  // A structure is created once; an admin joins only a structure that exists.
  await expect(
    run(BINARY, ['create-structure', ...db, '--structure', 'Régie des Coteaux', '--login', 'y', '--name', 'Y'], env),
  ).rejects.toThrow(/existe déjà/);
  await expect(
    run(BINARY, ['create-admin', ...db, '--structure', 'Régie du Val', '--login', 'z', '--name', 'Z'], env),
  ).rejects.toThrow(/aucune structure ne s'appelle « Régie du Val »/);
  const added = await run(
    BINARY,
    ['create-admin', ...db, '--structure', 'Régie des Coteaux', '--login', 'k.martin', '--name', 'Karim Martin'],
    env,
  );
  expect(added.stdout).toContain('« k.martin »');

  const jalon = await startJalon({ dataDir, demo: false });
  const context = await browser.newContext({ baseURL: jalon.url });
  const page = await context.newPage();
  try {
    await signIn(page, 'r.dupuis', 'un mot de passe solide');
    await expect(page.getByRole('heading', { name: 'Bonjour Rachel Dupuis' })).toBeVisible();
    await expect(page.getByText('Régie des Coteaux')).toBeVisible();
    await expect(page.getByText('Démonstration')).toHaveCount(0);
  } finally {
    await context.close();
    await jalon.stop();
  }
});

test('SIGTERM during a request: the request completes, then the server exits cleanly', async () => {
  const jalon = await startJalon();
  const { port, hostname } = new URL(jalon.url);
  const body = new URLSearchParams({ login: DEMO.supervisorA, secret: DEMO.staffPassword }).toString();
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));

  // The request is under way: headers sent, half of the body still to come.
  const half = Math.floor(body.length / 2);
  socket.write(
    `POST /api/auth/sign_in HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body.slice(0, half)}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  jalon.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 700));
  expect(jalon.proc.exitCode, 'still running while a request is in progress').toBeNull();

  socket.write(body.slice(half));
  await closed;
  expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
  expect(answer.toLowerCase()).toContain('set-cookie: jalon_session=');
  expect(await jalon.stop()).toBe(0);
  expect(jalon.output()).toContain('stopped');
});

test('pages carry a nonce-based CSP that their own scripts match, and the usual security headers', async ({ request, jalon }) => {
  const res = await request.get(`${jalon.url}/connexion`);
  const csp = res.headers()['content-security-policy'];
  const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toContain("frame-ancestors 'none'");
  const html = await res.text();
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const attrs of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
  // A fresh nonce for every page.
  const again = await request.get(`${jalon.url}/connexion`);
  expect(again.headers()['content-security-policy']).not.toContain(nonce!);
  expect(res.headers()['x-content-type-options']).toBe('nosniff');
  expect(res.headers()['referrer-policy']).toBe('same-origin');
});

test('a state-changing request from another site is refused', async ({ request, jalon }) => {
  const res = await request.post(`${jalon.url}/api/auth/sign_in`, {
    form: { login: DEMO.admin, secret: DEMO.staffPassword },
    headers: { Origin: 'https://evil.example', Accept: 'application/json' },
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain('Requête refusée');
  expect(res.headers()['set-cookie']).toBeUndefined();
});
