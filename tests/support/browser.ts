/**
 * A headless Chromium for the browser tests, with nothing installed outside npm:
 * `/usr/bin/chromium` when the machine has one (CHROMIUM_PATH overrides), otherwise the
 * headless-shell build inside the @sparticuz/chromium dev dependency, which unpacks itself
 * (brotli) to the temp directory on first use. That build links only against glibc, NSS and
 * expat (NSS comes with any JDK on Debian); it is Chromium 143, which playwright-core drives
 * over CDP.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function chromiumPath(): Promise<string> {
  const chosen = process.env.CHROMIUM_PATH ?? (existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined);
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH=${chosen} does not exist`);
    return chosen;
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

export interface Browser {
  context: BrowserContext;
  executablePath: string;
  close(): Promise<void>;
}

/** A browser with a throw-away profile (removed again by close()). */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const executablePath = await chromiumPath();
  const profileDir = mkdtempSync(join(tmpdir(), 'newsgraph-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath,
      headless: true,
      args: ARGS,
      viewport,
    });
    return {
      context,
      executablePath,
      async close() {
        await context.close();
        rmSync(profileDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profileDir, { recursive: true, force: true });
    throw new Error(`could not start ${executablePath}: ${(err as Error).message}`);
  }
}
