// A hosted network at the start of a worksite day, measured on demand (not part
// of the test suite):
//   node bench/hosted.mjs [--engine postgres|sqlite|both] [--phones 500]
//                         [--structures 10] [--records 20] [--instances 2]
// `structures` structures are created with `jalon create-structure`, each with
// a team, 5 supervisors and 8 workers (through the admin's own API). Then
// `phones` phones, spread evenly over the structures, each its own device and
// session of one of its structure's supervisors, start together: a first pull,
// one push of `records` observations (sent again, unchanged, after a 503, as
// the app does), then a pull of everything they may read. On PostgreSQL the
// phones talk to `instances` servers on one database, each request to the next
// instance in turn (a round-robin load balancer); on SQLite to one server.
// Prints records/s (applied records over the time from the first push to the
// last answer), push p50/p95/max, answers by status, errors (anything but 200
// and 503: must be 0), each server's peak memory, and checks that the database
// holds every record exactly once.
// Needs the release build (scripts/build.sh); for PostgreSQL a server named by
// JALON_TEST_POSTGRES (eval "$(scripts/postgres.sh start)").
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tally, post, signIn, sleep, uuidv7 } from './client.mjs';
import { ROOT, startServer } from './server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const engines = (args.engine ?? 'both') === 'both' ? ['postgres', 'sqlite'] : [args.engine];
const PHONES = Number(args.phones ?? 500);
const STRUCTURES = Number(args.structures ?? 10);
const RECORDS = Number(args.records ?? 20);
const INSTANCES = Number(args.instances ?? 2);
const SUPERVISORS = 5;
const WORKERS = 8;
const PASSWORD = 'banc-de-mesure-2026';
const BINARY = path.join(ROOT, 'target/release/jalon');

const signInAs = (url, login) => signIn(url, login, PASSWORD);

/** A server function of the admin's, as the app's forms call it. */
async function form(url, cookie, endpoint, fields) {
  const res = await fetch(`${url}/api/people/${endpoint}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Cookie: cookie },
    body: new URLSearchParams(fields),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${endpoint} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Runs `task` over `items`, `width` at a time. */
async function pool(items, width, task) {
  const out = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await task(items[i], i);
      }
    }),
  );
  return out;
}

async function setUp(databaseArgs, urls) {
  for (let s = 1; s <= STRUCTURES; s++) {
    execFileSync(BINARY, ['create-structure', ...databaseArgs, '--structure', `Structure ${s}`, '--login', `admin.${s}`, '--name', `Responsable ${s}`], {
      env: { ...process.env, JALON_ADMIN_PASSWORD: PASSWORD },
      stdio: 'ignore',
    });
    const url = urls[s % urls.length];
    const admin = await signInAs(url, `admin.${s}`);
    await form(url, admin, 'create_team', { name: `Équipe ${s}`, activity: 'Espaces verts' });
    const team = (await form(url, admin, 'list_teams', {}))[0].id;
    for (let k = 1; k <= SUPERVISORS; k++) {
      await form(url, admin, 'create_user', { role: 'supervisor', login: `enc.${s}.${k}`, display_name: `Encadrant ${s}.${k}`, password: PASSWORD });
    }
    const [users] = await form(url, admin, 'list_users', {});
    for (const u of users.filter((u) => u.login.startsWith('enc.'))) {
      await form(url, admin, 'assign_supervisor', { team_id: team, user_id: u.id, assign: 'true' });
    }
    const today = new Date().toISOString().slice(0, 10);
    for (let w = 1; w <= WORKERS; w++) {
      await form(url, admin, 'create_worker', { first_name: `Salarié ${w}`, last_name: `S${s}`, team_id: team, contract_start: today });
    }
  }
}

/** One phone: pull, push its records (again after a 503), pull everything. */
async function phone(urls, cookie, offset, pushes, pulls, applied) {
  let turn = offset;
  const url = () => urls[turn++ % urls.length];
  const device_id = uuidv7();
  const [status, first] = await post(url(), cookie, 'pull', { cursor: 0, scope: '', roster: '' });
  pulls.add(status, 0);
  if (status !== 200) return;
  const workers = first.workers.filter((w) => w.writable).map((w) => w.id);
  const day = new Date().toISOString().slice(0, 10);
  const mutations = Array.from({ length: RECORDS }, (_, n) => ({
    id: uuidv7(), record_type: 'observation', schema: 1, record_id: uuidv7(), op: 'create', base_version: 0,
    data: { worker_id: workers[n % workers.length], observed_on: day, kind: 'skill', body: `Relevé ${n} : consignes suivies, poste rangé.` },
  }));
  for (let attempt = 0; attempt < 30; attempt++) {
    const [s, res, ms, retryAfter] = await post(url(), cookie, 'push', { device_id, batch: 1, mutations }, 60_000);
    pushes.add(s, ms);
    if (s === 200) {
      applied.count += res.acks.filter((a) => a.status === 'applied').length;
      break;
    }
    await sleep(s === 503 ? Math.max(retryAfter, 1) * 1000 : 1000);
  }
  let req = { cursor: 0, scope: '', roster: '' };
  for (;;) {
    const [s, res, ms] = await post(url(), cookie, 'pull', req);
    pulls.add(s, ms);
    if (s !== 200 || !res.more) return;
    req = { cursor: res.cursor, scope: res.scope, roster: res.roster };
  }
}

async function run(engine) {
  let databaseArgs;
  let count;
  const servers = [];
  if (engine === 'postgres') {
    const server = process.env.JALON_TEST_POSTGRES;
    if (!server) throw new Error('JALON_TEST_POSTGRES: run eval "$(scripts/postgres.sh start)" first');
    const name = `jalon_bench_${Date.now()}`;
    execFileSync('psql', [server, '-qc', `CREATE DATABASE ${name}`]);
    const url = server.replace(/\/[^/]*$/, `/${name}`);
    databaseArgs = ['--database-url', url];
    count = (sql) => Number(execFileSync('psql', [url, '-tAc', sql]).toString().trim());
    for (let i = 0; i < INSTANCES; i++) servers.push(await startServer({ args: databaseArgs, demo: false }));
  } else {
    const dir = mkdtempSync(path.join(tmpdir(), 'jalon-hosted-'));
    databaseArgs = ['--database-url', `sqlite://${dir}/jalon.db`];
    count = () => {
      const line = execFileSync(BINARY, ['fingerprint', ...databaseArgs]).toString().split('\n').find((l) => l.startsWith('observations '));
      return Number(line.split(' ')[1]);
    };
    servers.push(await startServer({ args: databaseArgs, demo: false }));
  }
  try {
    const urls = servers.map((s) => s.url);
    await setUp(databaseArgs, urls);
    const phones = Array.from({ length: PHONES }, (_, i) => ({ structure: (i % STRUCTURES) + 1, supervisor: (Math.floor(i / STRUCTURES) % SUPERVISORS) + 1 }));
    const cookies = await pool(phones, 4, (p, i) => signInAs(urls[i % urls.length], `enc.${p.structure}.${p.supervisor}`));
    const pushes = new Tally();
    const pulls = new Tally();
    const applied = { count: 0 };
    const start = performance.now();
    await Promise.all(cookies.map((c, i) => phone(urls, c, i, pushes, pulls, applied)));
    const elapsed = (performance.now() - start) / 1000;
    const stored = count("SELECT COUNT(*) FROM observations");
    const distinct = engine === 'postgres' ? count('SELECT COUNT(DISTINCT id) FROM observations') : stored;
    const fmt = (ms) => (Number.isNaN(ms) ? '-' : ms.toFixed(0));
    const statuses = (t) => Object.entries(t.statuses).map(([s, c]) => `${s}:${c}`).join(' ');
    console.log(
      `${engine === 'postgres' ? `PostgreSQL, ${INSTANCES} instances` : 'SQLite, 1 instance'}: ` +
        `${PHONES} phones, ${STRUCTURES} structures, ${RECORDS} records each | ` +
        `records/s=${(applied.count / elapsed).toFixed(0)} (${applied.count} in ${elapsed.toFixed(1)} s) | ` +
        `push p50/p95/max=${fmt(pushes.at(0.5))}/${fmt(pushes.at(0.95))}/${fmt(pushes.max())} ms | ` +
        `push answers ${statuses(pushes)} | pull answers ${statuses(pulls)} | ` +
        `errors=${pushes.errors() + pulls.errors()} | ` +
        `stored ${stored} (distinct ${distinct}, expected ${PHONES * RECORDS}) | ` +
        `peak memory ${servers.map((s) => `${s.peakMemoryMiB()} MiB`).join(' + ')}`,
    );
    if (stored !== PHONES * RECORDS || distinct !== stored || pushes.errors() + pulls.errors() > 0) process.exitCode = 1;
  } finally {
    for (const s of servers) await s.stop();
  }
}

for (const engine of engines) await run(engine);
