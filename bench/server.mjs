// Starts the release server for a benchmark: its own temporary data folder
// (demo structure unless demo: false), a free port, logs at `warn`. Shared by the bench scripts.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

export async function startServer({ binary = path.join(ROOT, 'target/release/jalon'), args = [], demo = true } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jalon-bench-'));
  const server = spawn(binary, ['--addr', '127.0.0.1:0', '--data-dir', dataDir, ...(demo ? ['--demo'] : []), ...args], {
    env: { ...process.env, JALON_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stderr.on('data', (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Jalon est prêt : (http:\/\/[0-9.:]+)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}\n${log}`)));
  });
  return {
    url,
    log: () => log,
    /** The server's peak resident memory so far, in MiB. */
    peakMemoryMiB() {
      try {
        const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
        return (Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024).toFixed(0);
      } catch {
        return '?';
      }
    },
    async stop() {
      server.kill('SIGTERM');
      await new Promise((r) => server.on('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
