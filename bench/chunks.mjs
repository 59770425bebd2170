#!/usr/bin/env node
// The browser code of the release build, piece by piece, and its budgets:
//   scripts/build.sh && node bench/chunks.mjs [--check]
// Prints every file of target/site/pkg that phones download (raw, gzip,
// brotli, as precompressed by the build), which screens use each piece, each
// role's first load (the main piece, the split loader and what that role
// loads right after start), and checks the budgets of issue 18:
//   first load of any role ≤ 250 KB brotli, each lazy piece ≤ 60 KB brotli.
// With --check, exits 1 when a budget is exceeded. With --check-pieces (what
// scripts/test.sh runs, bytes do not vary from run to run), exits 1 when a
// screen has no piece, or the main piece or a lazy piece grows past today's
// ceilings (MAIN_CEILING, PIECE_CEILING): the first-load budget and, for the
// skills piece, the piece budget are not met yet (see issue 18's note); the
// ceilings keep the weight from growing meanwhile. Lower them as it shrinks.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const pkg = join(root, 'target/site/pkg');
const hashFile = join(root, 'target/release/hash.txt');
const FIRST_LOAD_BUDGET = 250 * 1024;
const PIECE_BUDGET = 60 * 1024;
// Today's main piece (wasm + JS + split loader) and largest lazy piece
// (skills), brotli, rounded up with room for the few hundred bytes builds vary by.
// Issue 23 raised the main one from 384 KB: 385.9 KB measured with its four new
// screens (each route lives in the router, in the main piece) and the worker's
// home counting skills seen at work; reading an observation whole there had
// cost 46 KB (432.1 KB), hence `observations::Summary`. Then 387.3 KB with the
// pull's `starting_over` (the phone's sync engine is in the main piece) and the
// newcomers' welcome line on the counsellor's home: 389 KB.
const MAIN_CEILING = 389 * 1024;
const PIECE_CEILING = 115 * 1024;
const check = process.argv.includes('--check');
const checkPieces = process.argv.includes('--check-pieces');

const size = (f) => (existsSync(f) ? statSync(f).size : NaN);
const sizes = (name) => ({ raw: size(join(pkg, name)), gz: size(join(pkg, name) + '.gz'), br: size(join(pkg, name) + '.br') });
const kb = (n) => (Number.isNaN(n) ? '—' : (n / 1024).toFixed(1));

const hashes = Object.fromEntries(
  readFileSync(hashFile, 'utf8')
    .split('\n')
    .map((l) => l.split(':').map((s) => s.trim()))
    .filter((p) => p.length === 2 && p[1]),
);
const main = [`jalon.${hashes.js}.js`, `jalon.${hashes.wasm}.wasm`];
if (hashes.split) main.push(`__wasm_split.${hashes.split}.js`);
const manifest = hashes.manifest
  ? JSON.parse(readFileSync(join(pkg, `__wasm_split_manifest.${hashes.manifest}.json`), 'utf8'))
  : {};

// The lazy screens and their routes, as app/src/app.rs declares them.
const appRs = readFileSync(join(root, 'app/src/app.rs'), 'utf8');
const pages = [...appRs.matchAll(/^\s+(\w+) in (\w+) for (\w+)(?:, preloaded for ([\w| ]+))?;/gm)].map((m) => ({
  page: m[1],
  chunk: m[2],
  audience: m[3],
  preloadedFor: m[4] ? m[4].split('|').map((s) => s.trim()) : [],
}));
const routes = {};
for (const m of appRs.matchAll(/path!\("([^"]*)"\) view=\{Lazy::<lazy::(\w+)>::new\(\)\}/g)) {
  (routes[m[2]] ??= []).push('/' + m[1]);
}
const audienceIncludes = (audience, role) =>
  audience === 'Everyone' ||
  (audience === 'Staff' && role !== 'Worker') ||
  (audience === 'Admin' && role === 'Admin') ||
  (audience === 'Worker' && role === 'Worker');

// Which screens use each file.
const usedBy = {};
for (const p of pages) {
  for (const stem of manifest[p.chunk] ?? []) (usedBy[`${stem}.wasm`] ??= []).push(...(routes[p.page] ?? [p.page]));
}

const rows = [];
const pieces = readdirSync(pkg).filter((n) => n.endsWith('.wasm') && !main.includes(n));
for (const name of [...main, ...pieces.sort()]) {
  const s = sizes(name);
  const users = main.includes(name) ? 'main: every screen' : (usedBy[name] ?? ['(no screen: left from another build?)']).join(' ');
  rows.push({ name, ...s, users });
}
const width = Math.max(...rows.map((r) => r.name.length));
console.log(`${'file'.padEnd(width)}  ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)} ${'br KB'.padStart(8)}  used by`);
for (const r of rows) {
  console.log(`${r.name.padEnd(width)}  ${kb(r.raw).padStart(8)} ${kb(r.gz).padStart(8)} ${kb(r.br).padStart(8)}  ${r.users}`);
}
const total = rows.reduce((a, r) => ({ raw: a.raw + r.raw, gz: a.gz + r.gz, br: a.br + r.br }), { raw: 0, gz: 0, br: 0 });
console.log(`${'all files'.padEnd(width)}  ${kb(total.raw).padStart(8)} ${kb(total.gz).padStart(8)} ${kb(total.br).padStart(8)}`);

const failures = [];
const pieceFailures = [];
const mainBr = main.reduce((a, f) => a + sizes(f).br, 0);
console.log(`\nmain piece: ${kb(mainBr)} KB brotli (ceiling ${kb(MAIN_CEILING)} KB)`);
if (!(mainBr <= MAIN_CEILING)) pieceFailures.push(`main piece: ${kb(mainBr)} KB > ${kb(MAIN_CEILING)} KB`);
console.log('\nfirst load per role (main piece + split loader + preloaded pieces), brotli:');
for (const role of ['Admin', 'Supervisor', 'Counsellor', 'Worker']) {
  const files = new Set(main);
  for (const p of pages.filter((p) => p.preloadedFor.includes(role))) {
    for (const stem of manifest[p.chunk] ?? []) files.add(`${stem}.wasm`);
  }
  const br = [...files].reduce((a, f) => a + sizes(f).br, 0);
  const ok = br <= FIRST_LOAD_BUDGET;
  if (!ok) failures.push(`first load of ${role}: ${kb(br)} KB > ${kb(FIRST_LOAD_BUDGET)} KB`);
  console.log(`  ${role.padEnd(11)} ${kb(br).padStart(7)} KB  ${ok ? 'ok' : 'OVER'} (budget ${kb(FIRST_LOAD_BUDGET)} KB; ${files.size} files)`);
}

if (pages.length && Object.keys(manifest).length) {
  console.log('\neach screen on first opening: its pieces (own and shared), brotli:');
  for (const p of pages) {
    const files = (manifest[p.chunk] ?? []).map((s) => `${s}.wasm`);
    const br = files.reduce((a, f) => a + sizes(f).br, 0);
    const phones = ['Admin', 'Supervisor', 'Counsellor', 'Worker'].filter((r) => audienceIncludes(p.audience, r));
    console.log(`  ${(routes[p.page] ?? [p.page]).join(' ').padEnd(44)} ${kb(br).padStart(7)} KB in ${files.length} file(s); kept by ${phones.join(', ')}`);
    if (!files.length) pieceFailures.push(`${p.page}: no piece in the split manifest (chunk ${p.chunk})`);
  }
  for (const r of rows.filter((r) => !main.includes(r.name))) {
    if (!(r.br <= PIECE_CEILING)) pieceFailures.push(`${r.name}: ${kb(r.br)} KB > ceiling ${kb(PIECE_CEILING)} KB`);
    else if (!(r.br <= PIECE_BUDGET)) failures.push(`${r.name}: ${kb(r.br)} KB > ${kb(PIECE_BUDGET)} KB`);
  }
  console.log(`\nlargest lazy piece: ${kb(Math.max(...rows.filter((r) => !main.includes(r.name)).map((r) => r.br)))} KB brotli (budget ${kb(PIECE_BUDGET)} KB)`);
} else {
  console.log('\n(not split: every screen is in the main piece)');
  pieceFailures.push('the build is not split');
}

const all = [...pieceFailures, ...failures];
if (all.length) {
  console.log('\nover budget:\n  ' + all.join('\n  '));
  if (check || (checkPieces && pieceFailures.length)) process.exit(1);
} else {
  console.log('\nall budgets hold');
}
