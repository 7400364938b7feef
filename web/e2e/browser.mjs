// Headless Chromium from the machine (Debian's chromium package), driven by playwright-core: no browser download.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where screenshots go: web/target/screenshots (the Maven build directory of the web module). */
export const screenshotDir = process.env.GATEHOUSE_SCREENSHOTS
  ? path.resolve(process.env.GATEHOUSE_SCREENSHOTS)
  : path.join(here, '..', 'target', 'screenshots');

/** The browser binary: CHROMIUM_PATH, or Debian's /usr/bin/chromium. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// As root in a sandboxed machine: no sandbox, no GPU; nothing that phones home (the network is closed).
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Starts Chromium with a fresh, empty profile; returns { context, close }. */
export async function launchBrowser({ viewport = { width: 1280, height: 860 } } = {}) {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH).`);
  }
  await mkdir(screenshotDir, { recursive: true });
  const profile = await mkdtemp(path.join(tmpdir(), 'gatehouse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: FLAGS,
    viewport,
    acceptDownloads: true,
  });
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot (or the `clip` rectangle) as <screenshotDir>/<name>.png. */
export async function snap(page, name, clip) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot(clip ? { path: file, clip } : { path: file, fullPage: true });
  return file;
}
