// Sign-in latency, measured on demand (not part of the test suite):
//   node bench/sign-in.mjs [rounds]
// Starts the release server on a temporary database with the demo structure,
// signs in `rounds` times over loopback (cycling through the demo accounts),
// and prints p50/p95/max of the request time. On loopback the request time is
// the server-side time plus well under a millisecond of transport.
import { startServer } from './server.mjs';

const rounds = Number(process.argv[2] ?? 200);
const server = await startServer();
const url = server.url;

const staff = ['demo.admin', 'demo.cip', 'demo.encadrant.a', 'demo.encadrant.b'];
const workers = Array.from({ length: 16 }, (_, i) => `demo.s${String(i + 1).padStart(2, '0')}`);
const accounts = [...staff.map((l) => [l, 'demo-jalon']), ...workers.map((l) => [l, '135790'])];

async function signIn(login, secret) {
  const start = performance.now();
  const res = await fetch(`${url}/api/auth/sign_in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ login, secret }),
  });
  await res.arrayBuffer();
  return [performance.now() - start, res.status];
}

function summary(label, times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  console.log(`${label}: n=${times.length} p50=${at(0.5).toFixed(1)} ms p95=${at(0.95).toFixed(1)} ms max=${sorted.at(-1).toFixed(1)} ms`);
}

try {
  await signIn(...accounts[0]); // warm-up
  const ok = [];
  for (let i = 0; i < rounds; i++) {
    const [ms, status] = await signIn(...accounts[i % accounts.length]);
    if (status !== 200) throw new Error(`sign-in answered ${status}`);
    ok.push(ms);
  }
  summary('successful sign-in', ok);
  // Refusals (unknown accounts cost the same hash check). Kept under the per-address limit.
  const refused = [];
  for (let i = 0; i < 25; i++) {
    const [ms, status] = await signIn(`bench.unknown.${i}`, 'wrong-secret');
    if (status !== 401) throw new Error(`refusal answered ${status}`);
    refused.push(ms);
  }
  summary('refused sign-in', refused);
  console.log('argon2id parameters: m=19456 KiB, t=2, p=1 (app/src/auth/password.rs)');
} finally {
  await server.stop();
}
