/**
 * The embedded default: Neo4j Community run by the Maven module in `neo4j-launcher/`.
 * Started as a child process that stops when its parent goes away (it watches its
 * stdin), or detached with a pid file by `newsgraph neo4j start`.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LAUNCHER_MAIN_CLASS = 'newsgraph.launcher.EmbeddedNeo4j';
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LAUNCHER_DIR = join(REPO_ROOT, 'neo4j-launcher');
const CLASS_FILE = join(LAUNCHER_DIR, 'target', 'classes', 'newsgraph', 'launcher', 'EmbeddedNeo4j.class');
const LIB_DIR = join(LAUNCHER_DIR, 'target', 'lib');
const READY_TIMEOUT_MS = 180_000;

export class EmbeddedNeo4jError extends Error {
  override name = 'EmbeddedNeo4jError';
}

const ALTERNATIVES =
  'Alternatives: set NEO4J_URI (and NEO4J_USER / NEO4J_PASSWORD) to an existing Neo4j 5, ' +
  'or run `docker compose up` where Docker is available.';

export interface EmbeddedOptions {
  dataDir: string;
  /** Bolt port; 0 picks a free one */
  port: number;
  pageCache: string;
  log?: (line: string) => void;
}

export interface EmbeddedHandle {
  uri: string;
  pid: number;
  /** Stops the database and waits for the JVM to exit. */
  stop(): Promise<void>;
}

interface PidFile {
  pid: number;
  uri: string;
  startedAt: string;
}

/** Checks Java 17+ and Maven, and builds the launcher on first use. */
export function ensureLauncherBuilt(log: (line: string) => void = () => {}): void {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new EmbeddedNeo4jError(
      `Java was not found: the embedded Neo4j needs a JDK 17 or newer on PATH. ${ALTERNATIVES}`,
    );
  }
  const major = Number(/version "(\d+)/.exec(java.stderr)?.[1] ?? 0);
  if (major < 17) {
    throw new EmbeddedNeo4jError(`Java ${major} found, the embedded Neo4j needs Java 17 or newer. ${ALTERNATIVES}`);
  }
  if (isLauncherBuilt()) return;
  const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (mvn.error || mvn.status !== 0) {
    throw new EmbeddedNeo4jError(`Maven (mvn) was not found: it builds the embedded Neo4j launcher. ${ALTERNATIVES}`);
  }
  log('Building the embedded Neo4j launcher (first run: Maven downloads Neo4j Community from Maven Central)...');
  try {
    execFileSync('mvn', ['-q', '-B', '-f', join(LAUNCHER_DIR, 'pom.xml'), 'package'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  } catch {
    throw new EmbeddedNeo4jError(`building neo4j-launcher with Maven failed (see the output above). ${ALTERNATIVES}`);
  }
}

function isLauncherBuilt(): boolean {
  if (!existsSync(CLASS_FILE) || !existsSync(LIB_DIR)) return false;
  const built = statSync(CLASS_FILE).mtimeMs;
  const sources = [
    join(LAUNCHER_DIR, 'pom.xml'),
    join(LAUNCHER_DIR, 'src/main/java/newsgraph/launcher/EmbeddedNeo4j.java'),
  ];
  return sources.every((s) => statSync(s).mtimeMs <= built);
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

function javaArgs(opts: EmbeddedOptions, port: number, watchStdin: boolean): string[] {
  const args = [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-cp',
    `${join(LAUNCHER_DIR, 'target', 'classes')}:${join(LIB_DIR, '*')}`,
    LAUNCHER_MAIN_CLASS,
    '--data',
    opts.dataDir,
    '--port',
    String(port),
    '--pagecache',
    opts.pageCache,
  ];
  if (!watchStdin) args.push('--no-stdin-watch');
  return args;
}

/**
 * Starts Neo4j as a child of this process. It stops when `stop()` is called, when this
 * process exits, or (through its stdin pipe) when this process dies.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedHandle> {
  const log = opts.log ?? (() => {});
  ensureLauncherBuilt(log);
  assertNotRunningElsewhere(opts.dataDir);
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port || (await freePort());
  log(`Starting embedded Neo4j (data: ${opts.dataDir}, bolt://127.0.0.1:${port})...`);
  const child = spawn('java', javaArgs(opts, port, true), { stdio: ['pipe', 'pipe', 'pipe'] });
  const uri = await waitForReady(child, port);
  writePidFile(opts.dataDir, { pid: child.pid!, uri, startedAt: new Date().toISOString() });
  const onExit = () => child.kill('SIGTERM');
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  return {
    uri,
    pid: child.pid!,
    stop() {
      stopped ??= new Promise<void>((done) => {
        process.off('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => {
          removePidFile(opts.dataDir, child.pid!);
          done();
        });
        child.kill('SIGTERM');
        // A JVM that ignores SIGTERM for long is stuck: do not leave it behind.
        setTimeout(() => child.kill('SIGKILL'), 60_000).unref();
      });
      return stopped;
    },
  };
}

/** Starts Neo4j in the background, outliving this process (for `newsgraph neo4j start`). */
export async function startDetached(opts: EmbeddedOptions): Promise<{ uri: string; pid: number }> {
  const log = opts.log ?? (() => {});
  const running = runningEmbedded(opts.dataDir);
  if (running) return running;
  ensureLauncherBuilt(log);
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port || (await freePort());
  const logPath = join(opts.dataDir, 'neo4j-launcher.log');
  const out = openSync(logPath, 'a');
  log(`Starting embedded Neo4j in the background (data: ${opts.dataDir}, log: ${logPath})...`);
  const child = spawn('java', javaArgs(opts, port, false), { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  const uri = `bolt://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new EmbeddedNeo4jError(`embedded Neo4j exited during start; see ${logPath}`);
    if (readFileSync(logPath, 'utf8').includes(`NEWSGRAPH_NEO4J_READY ${uri}`)) {
      writePidFile(opts.dataDir, { pid: child.pid!, uri, startedAt: new Date().toISOString() });
      return { uri, pid: child.pid! };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new EmbeddedNeo4jError(
    `embedded Neo4j did not become ready within ${READY_TIMEOUT_MS / 1000}s; see ${logPath}`,
  );
}

/** The embedded Neo4j started for this data directory, if its process is alive. */
export function runningEmbedded(dataDir: string): { uri: string; pid: number } | undefined {
  const file = pidFilePath(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as PidFile;
    process.kill(info.pid, 0);
    return { uri: info.uri, pid: info.pid };
  } catch {
    return undefined; // stale pid file: the process is gone
  }
}

export async function stopDetached(dataDir: string, timeoutMs = 60_000): Promise<boolean> {
  const running = runningEmbedded(dataDir);
  if (!running) return false;
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(running.pid, 0);
    } catch {
      removePidFile(dataDir, running.pid);
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.kill(running.pid, 'SIGKILL');
  removePidFile(dataDir, running.pid);
  return true;
}

function assertNotRunningElsewhere(dataDir: string) {
  const running = runningEmbedded(dataDir);
  if (running) {
    throw new EmbeddedNeo4jError(
      `an embedded Neo4j (pid ${running.pid}, ${running.uri}) already uses ${dataDir}; ` +
        'stop it with `newsgraph neo4j stop` or point NEO4J_URI at it',
    );
  }
}

function waitForReady(child: ChildProcess, port: number): Promise<string> {
  return new Promise((resolveUri, reject) => {
    const tail: string[] = [];
    const remember = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) tail.push(line);
      tail.splice(0, Math.max(0, tail.length - 30));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new EmbeddedNeo4jError(
          `embedded Neo4j did not become ready within ${READY_TIMEOUT_MS / 1000}s:\n${tail.join('\n')}`,
        ),
      );
    }, READY_TIMEOUT_MS);
    child.stderr!.on('data', remember);
    child.stdout!.on('data', (chunk: Buffer) => {
      remember(chunk);
      const m = /NEWSGRAPH_NEO4J_READY (\S+)/.exec(chunk.toString('utf8'));
      if (m) {
        clearTimeout(timer);
        resolveUri(m[1]);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new EmbeddedNeo4jError(`could not start java: ${err.message}. ${ALTERNATIVES}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const portHint = tail.some((l) => /address already in use|BindException/i.test(l))
        ? ` (port ${port} is in use: set NEWSGRAPH_NEO4J_PORT to another port)`
        : '';
      reject(
        new EmbeddedNeo4jError(
          `embedded Neo4j exited during start (${signal ?? `code ${code}`})${portHint}:\n${tail.join('\n')}`,
        ),
      );
    });
  });
}

function pidFilePath(dataDir: string) {
  return join(dataDir, 'newsgraph-neo4j.json');
}

function writePidFile(dataDir: string, info: PidFile) {
  writeFileSync(pidFilePath(dataDir), JSON.stringify(info));
}

function removePidFile(dataDir: string, pid: number) {
  const file = pidFilePath(dataDir);
  try {
    if ((JSON.parse(readFileSync(file, 'utf8')) as PidFile).pid === pid) rmSync(file);
  } catch {
    /* already gone */
  }
}
