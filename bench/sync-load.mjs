// Sync under load, measured on demand (not part of the test suite):
//   node bench/sync-load.mjs [--phones 10,50,200] [--pullers 5] [--seconds 30] [--batch 25]
//                            [--database-url URL] [--bin PATH]
// For each phone count, two runs on a fresh release server each (demo structure,
// its own temporary database): the phones pushing alone, then the same phones
// while `pullers` counsellor sessions pull every half second. Each phone is its
// own device and session (the two demo supervisors, signed in many times) and
// pushes batches of `batch` observations one after another for `seconds`,
// waiting as long as `Retry-After` says when the server answers 503 and then
// sending the same batch again, as the app does. Each puller first pulls
// everything it may read (paged), then what changed, every 0.5 s.
// Prints records/s, push and pull p50/p95/max, answers by status, the server's
// peak memory, and whether the goal of the issue holds for 50 phones + 5 pullers:
// no error but 503, push and pull p95 <= 500 ms, throughput >= 80 % of pushes alone.
// Needs the release build (scripts/build.sh).
import { Tally, post, signIn, sleep, uuidv7 } from './client.mjs';
import { startServer } from './server.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const phoneCounts = String(args.phones ?? '10,50,200').split(',').map(Number);
const pullerCount = Number(args.pullers ?? 5);
const seconds = Number(args.seconds ?? 30);
const batchSize = Number(args.batch ?? 25);
const serverOptions = {
  ...(args.bin ? { binary: args.bin } : {}),
  args: args['database-url'] ? ['--database-url', args['database-url']] : [],
};


async function phone(url, cookie, until, pushes, applied) {
  const device_id = uuidv7();
  const [status, first] = await post(url, cookie, 'pull', { cursor: 0, scope: '', roster: '' });
  if (status !== 200) throw new Error(`first pull answered ${status}`);
  const workers = (first.workers ?? []).filter((w) => w.writable).map((w) => w.id);
  const day = new Date().toISOString().slice(0, 10);
  let batch = 0;
  let n = 0;
  while (performance.now() < until) {
    batch += 1;
    const mutations = Array.from({ length: batchSize }, () => {
      n += 1;
      return {
        id: uuidv7(), record_type: 'observation', schema: 1, record_id: uuidv7(), op: 'create', base_version: 0,
        data: { worker_id: workers[n % workers.length], observed_on: day, kind: 'skill', body: `Charge ${n} : tâche terminée, consignes suivies.` },
      };
    });
    // The same batch is sent again until it is answered, as the phone does.
    for (;;) {
      const [s, res, ms, retryAfter] = await post(url, cookie, 'push', { device_id, batch, mutations });
      pushes.add(s, ms);
      if (s === 200) {
        applied.count += res.acks.filter((a) => a.status === 'applied').length;
        break;
      }
      if (performance.now() >= until) return;
      await sleep(s === 503 ? Math.max(retryAfter, 1) * 1000 : 1000);
    }
  }
}

async function puller(url, cookie, until, pulls) {
  let cursor = 0;
  let scope = '';
  let roster = '';
  while (performance.now() < until) {
    let more = true;
    while (more && performance.now() < until) {
      const [s, res, ms, retryAfter] = await post(url, cookie, 'pull', { cursor, scope, roster });
      pulls.add(s, ms);
      if (s !== 200) {
        await sleep(Math.max(retryAfter, 1) * 1000);
        break;
      }
      ({ cursor, scope, roster, more } = res);
    }
    await sleep(500);
  }
}

async function run(phones, pullers) {
  const server = await startServer(serverOptions);
  try {
    const logins = ['demo.encadrant.a', 'demo.encadrant.b'];
    const cookies = [];
    for (let i = 0; i < phones; i++) cookies.push(await signIn(server.url, logins[i % 2], 'demo-jalon'));
    const pullerCookies = [];
    for (let i = 0; i < pullers; i++) pullerCookies.push(await signIn(server.url, 'demo.cip', 'demo-jalon'));
    const pushes = new Tally();
    const pulls = new Tally();
    const applied = { count: 0 };
    const start = performance.now();
    const until = start + seconds * 1000;
    await Promise.all([
      ...cookies.map((c) => phone(server.url, c, until, pushes, applied)),
      ...pullerCookies.map((c) => puller(server.url, c, until, pulls)),
    ]);
    const elapsed = (performance.now() - start) / 1000;
    const slow = (server.log().match(/slow statement/g) ?? []).length;
    return { phones, pullers, rate: applied.count / elapsed, pushes, pulls, memory: server.peakMemoryMiB(), slow };
  } finally {
    await server.stop();
  }
}

const fmt = (ms) => (Number.isNaN(ms) ? '-' : ms.toFixed(0));
const statuses = (t) => Object.entries(t.statuses).map(([s, c]) => `${s}:${c}`).join(' ') || '-';
const rows = [];
for (const phones of phoneCounts) {
  for (const pullers of [0, pullerCount]) {
    const r = await run(phones, pullers);
    rows.push(r);
    console.log(
      `phones=${r.phones} pullers=${r.pullers} records/s=${r.rate.toFixed(0)} ` +
        `push p50/p95/max=${fmt(r.pushes.at(0.5))}/${fmt(r.pushes.at(0.95))}/${fmt(r.pushes.max())} ms ` +
        `pull p50/p95/max=${fmt(r.pulls.at(0.5))}/${fmt(r.pulls.at(0.95))}/${fmt(r.pulls.max())} ms ` +
        `push answers ${statuses(r.pushes)} | pull answers ${statuses(r.pulls)} | ` +
        `peak memory ${r.memory} MiB | slow statements logged ${r.slow}`,
    );
  }
}

const alone = rows.find((r) => r.phones === 50 && r.pullers === 0);
const mixed = rows.find((r) => r.phones === 50 && r.pullers === pullerCount);
if (alone && mixed) {
  const checks = [
    ['no error but 503', mixed.pushes.errors() + mixed.pulls.errors() === 0],
    ['push p95 <= 500 ms', mixed.pushes.at(0.95) <= 500],
    ['pull p95 <= 500 ms', mixed.pulls.at(0.95) <= 500],
    [`throughput >= 80 % of pushes alone (${((100 * mixed.rate) / alone.rate).toFixed(0)} %)`, mixed.rate >= 0.8 * alone.rate],
  ];
  console.log(`\ngoal, 50 phones + ${pullerCount} pullers, ${seconds} s:`);
  for (const [what, ok] of checks) console.log(`  ${ok ? 'met   ' : 'MISSED'} ${what}`);
}
