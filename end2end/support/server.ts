// Starts a real Jalon server (the release binary) on a temporary database
// and a free port, and stops it. Every test talks to a real process. The
// database is a SQLite file in a temporary folder or, when
// JALON_E2E_POSTGRES names a PostgreSQL server (the URL of its `postgres`
// database), a database of its own on that server, one per folder.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BINARY = process.env.JALON_BIN ?? path.join(ROOT, 'target', 'release', 'jalon');

export interface Jalon {
  url: string;
  proc: ChildProcess;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export interface StartOptions {
  args?: string[];
  dataDir?: string;
  env?: Record<string, string>;
  /** Create the demo structure (`--demo`); on unless set to false. */
  demo?: boolean;
}

const POSTGRES = process.env.JALON_E2E_POSTGRES;
export const ENGINE = POSTGRES ? 'postgresql' : 'sqlite';

/** The URL of the PostgreSQL database that stands for `dataDir`, created on first use. */
export function postgresDatabase(dataDir: string): string {
  if (!POSTGRES) throw new Error('JALON_E2E_POSTGRES is not set');
  const name = `jalon_e2e_${path.basename(dataDir).replace(/[^A-Za-z0-9]/g, '_').toLowerCase()}`;
  const exists = execFileSync('psql', [POSTGRES, '-tAc', `SELECT 1 FROM pg_database WHERE datname = '${name}'`])
    .toString()
    .trim();
  if (exists !== '1') execFileSync('psql', [POSTGRES, '-qc', `CREATE DATABASE ${name}`]);
  return POSTGRES.replace(/\/[^/]*$/, `/${name}`);
}

/** The flags that give a `jalon` command the database of `dataDir`. */
export function databaseArgs(dataDir: string): string[] {
  return POSTGRES ? ['--data-dir', dataDir, '--database-url', postgresDatabase(dataDir)] : ['--data-dir', dataDir];
}

export function freshDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'jalon-e2e-'));
}

export async function startJalon(options: StartOptions = {}): Promise<Jalon> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? freshDataDir();
  const proc = spawn(
    BINARY,
    [
      ...(options.args?.includes('--addr') ? [] : ['--addr', '127.0.0.1:0']),
      ...(options.args?.includes('--database-url') ? ['--data-dir', dataDir] : databaseArgs(dataDir)),
      ...(options.demo === false ? [] : ['--demo']),
      ...(options.args ?? []),
    ],
    { cwd: ROOT, env: { ...process.env, JALON_LOG: 'info', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Jalon did not start:\n${out}`)), 30_000);
    const check = () => {
      const m = out.match(/Jalon est prêt : (http:\/\/[0-9.:]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Jalon exited with ${code}:\n${out}`));
    });
  });

  return {
    url,
    proc,
    dataDir,
    exited,
    output: () => out,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode === null) proc.kill(signal);
      const code = await exited;
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
