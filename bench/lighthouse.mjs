// Runs Lighthouse on two pages of a fresh release server (see lighthouse.sh):
// the sign-in page, and the home of a signed-in supervisor (the session
// cookie is sent as a header). Mobile preset (Lighthouse's default: a
// mid-range phone, slow 4G, CPU slowed 4×). Prints the three scores and the
// audits that cost points.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

const server = await startServer();
const out = mkdtempSync(path.join(tmpdir(), 'jalon-lh-'));

async function sessionCookie(login, secret) {
  const res = await fetch(`${server.url}/api/auth/sign_in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ login, secret }),
    redirect: 'manual',
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  if (!cookie) throw new Error(`sign-in answered ${res.status} without a cookie`);
  return cookie;
}

function lighthouse(name, url, headers) {
  const file = path.join(out, `${name}.json`);
  const args = [
    url,
    '--quiet',
    '--output=json',
    `--output-path=${file}`,
    '--only-categories=performance,accessibility,best-practices',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run',
  ];
  if (headers) args.push(`--extra-headers=${JSON.stringify(headers)}`);
  execFileSync(process.env.LIGHTHOUSE, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const score = (c) => Math.round((report.categories[c]?.score ?? 0) * 100);
  console.log(`\n== ${name}: ${url}`);
  console.log(`   performance ${score('performance')} · accessibility ${score('accessibility')} · best-practices ${score('best-practices')}`);
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive']) {
    const a = report.audits[id];
    if (a) console.log(`   ${a.title}: ${a.displayValue ?? ''}`);
  }
  for (const [cat, { auditRefs }] of Object.entries(report.categories)) {
    for (const ref of auditRefs) {
      const a = report.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
        console.log(`   [${cat}] ${a.title} (${Math.round(a.score * 100)})${a.displayValue ? ': ' + a.displayValue : ''}`);
      }
    }
  }
}

try {
  lighthouse('sign-in page', `${server.url}/connexion`);
  const cookie = await sessionCookie('demo.encadrant.a', 'demo-jalon');
  lighthouse('supervisor home, signed in', `${server.url}/`, { Cookie: cookie });
} finally {
  await server.stop();
  rmSync(out, { recursive: true, force: true });
}
