#!/usr/bin/env node
// Checks the house's floors from its imports (docs/architecture.md):
// - no circle of imports between the files of a crate (jalon-core, app, server);
// - in the app crate, imports point down the floors listed in FLOORS;
// - jalon-core depends on neither Leptos nor sqlx (cargo decides that part:
//   see the `layers` step of scripts/test.sh).
// Test code (`tests/` folders, `tests.rs`) is left out: tests may reach anywhere.
//   node scripts/layers.mjs           prints the counts, fails on a circle or an upward import
//   node scripts/layers.mjs --edges   also prints every import between files
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const CRATES = [
  { name: 'jalon_core', dir: 'core/src' },
  { name: 'app', dir: 'app/src' },
  { name: 'server', dir: 'server/src' },
];
// The app's floors, bottom first: a file may import its own floor or lower ones.
const FLOORS = ['error', 'wire', 'backend', 'local', 'auth', 'widgets', 'frame', 'pages', 'app', 'lib'];
const MAX_UPWARD = 3;

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'tests') out.push(...files(path));
    } else if (name.endsWith('.rs') && name !== 'tests.rs') {
      out.push(path);
    }
  }
  return out;
}

// `a/b.rs` and `a/b/mod.rs` are the module `a::b`; lib.rs and main.rs the root.
function modulePath(crateDir, file) {
  const parts = relative(crateDir, file).replace(/\.rs$/, '').split('/');
  if (parts.at(-1) === 'mod' || parts.at(-1) === 'lib' || parts.at(-1) === 'main') parts.pop();
  return parts;
}

// Code without comments and string literals, so neither can make an arrow.
function code(text) {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      i = text.indexOf('*/', i + 2);
      i = i < 0 ? n : i + 2;
    } else if (c === 'r' && /[#"]/.test(next ?? '') && !/\w/.test(text[i - 1] ?? '')) {
      let j = i + 1;
      let hashes = '';
      while (text[j] === '#') { hashes += '#'; j++; }
      if (text[j] !== '"') { out += c; i++; continue; }
      const end = text.indexOf('"' + hashes, j + 1);
      i = end < 0 ? n : end + 1 + hashes.length;
      out += '""';
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      out += '""';
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const modules = new Map(); // "crate::a::b" -> file
const byFile = new Map(); // file -> { crate, path }
for (const c of CRATES) {
  if (!existsSync(join(root, c.dir))) continue;
  for (const file of files(join(root, c.dir))) {
    const path = modulePath(join(root, c.dir), file);
    const rel = relative(root, file);
    modules.set([c.name, ...path].join('::'), rel);
    byFile.set(rel, { crate: c.name, path });
  }
}

// The file a path like `crate::a::b::Name` lands in: its longest module prefix.
function resolve(segments) {
  for (let n = segments.length; n >= 1; n--) {
    const hit = modules.get(segments.slice(0, n).join('::'));
    if (hit) return hit;
  }
  return null;
}

const edges = new Map(); // file -> Set(file)
for (const [file, { crate, path }] of byFile) {
  const text = code(readFileSync(join(root, file), 'utf8'));
  const targets = new Set();
  const add = (segments) => {
    const target = resolve(segments);
    if (target && target !== file) targets.add(target);
  };
  // `crate::a::b`, `super::a`, `super::super::a`, and in `use x::{a, b::c}` each branch.
  const pathRe = /(?<![\w:])((?:crate|super|self|jalon_core|app|server)(?:::\w+)*)(?:::(?:\{([^;]*?)\}|\*))?/g;
  for (const m of text.matchAll(pathRe)) {
    if (!m[0].includes('::')) continue;
    let head = m[1].split('::');
    let base;
    if (head[0] === 'crate') base = [crate];
    else if (head[0] === 'jalon_core' || head[0] === 'app' || head[0] === 'server') {
      if (head[0] === crate || (head[0] !== 'jalon_core' && crate === 'jalon_core')) continue;
      base = [head[0]];
    } else {
      // `super` and `self` are relative to this file's module (a mod.rs is its folder).
      const here = [crate, ...path];
      base = here.slice();
      let i = 0;
      while (head[i] === 'super' || head[i] === 'self') {
        if (head[i] === 'super') base.pop();
        i++;
      }
      head = ['_', ...head.slice(i)];
    }
    const prefix = [...base, ...head.slice(1)];
    if (m[2] !== undefined) {
      for (const branch of m[2].split(',')) {
        const names = branch.trim().replace(/\s+as\s+\w+$/, '').split('::').filter((s) => /^\w+$/.test(s));
        if (names.length && names[0] !== 'self') add([...prefix, ...names]);
        else add(prefix);
      }
    } else {
      add(prefix);
    }
  }
  edges.set(file, targets);
}

// Circles: strongly connected components of more than one file (Tarjan).
function circles() {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do { w = stack.pop(); on.delete(w); scc.push(w); } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

function floor(file) {
  const f = byFile.get(file);
  if (!f || f.crate !== 'app') return -1;
  const top = f.path.length ? f.path[0] : 'lib';
  return FLOORS.indexOf(top);
}

const found = circles();
const upward = [];
let count = 0;
for (const [from, targets] of edges) {
  for (const to of targets) {
    count++;
    const a = floor(from), b = floor(to);
    if (a >= 0 && b >= 0 && b > a) upward.push(`${from} -> ${to}`);
  }
}
if (process.argv.includes('--edges')) {
  for (const [from, targets] of [...edges].sort()) for (const to of [...targets].sort()) console.log(`${from} -> ${to}`);
}
const unplaced = [...byFile].filter(([f, v]) => v.crate === 'app' && floor(f) < 0).map(([f]) => f);
console.log(`files: ${byFile.size}, imports between files: ${count}`);
console.log(`circles: ${found.length}`);
for (const c of found) console.log(`  circle of ${c.length}: ${c.join(', ')}`);
console.log(`upward imports in the app (floors ${FLOORS.join(' < ')}): ${upward.length} (at most ${MAX_UPWARD})`);
for (const u of upward) console.log(`  ${u}`);
for (const f of unplaced) console.log(`  not on a floor: ${f}`);
if (found.length || upward.length > MAX_UPWARD || unplaced.length) process.exit(1);
