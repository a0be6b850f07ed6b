import { access, constants, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { REPO } from '../helpers/cli.ts';

/** Debian's chromium (apt-get install -y chromium); playwright's own browser downloads are never used. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Where each view's screenshot goes: a git-ignored folder by default, or REVIEW_SCREENSHOTS
 * (e.g. `REVIEW_SCREENSHOTS=docs/img npx vitest run test/review`) to refresh the README's images.
 */
export const SCREENSHOTS = resolve(REPO, process.env.REVIEW_SCREENSHOTS ?? 'test/review/__screenshots__');

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** fullPage: the whole page; fit: just the page's content (no empty viewport below it). */
  shot(name: string, opts?: { fullPage?: boolean; fit?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Chromium with a fresh profile. A missing browser fails the test with what to install: the
 * browser tests are part of the suite and never skip.
 */
export async function openBrowser(): Promise<Browser> {
  try {
    await access(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`chromium is not installed at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (the review page's browser tests need it and never skip)`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'dw-chromium-'));
  // launchPersistentContext is how playwright takes a --user-data-dir: a new one per run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Script errors fail the test; a refused request (the wrong key the test types on purpose)
  // shows in the page as a notice, which the tests check themselves.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    page,
    context,
    async shot(name, opts = {}) {
      if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join(' | ')}`);
      const file = join(SCREENSHOTS, `${name}.png`);
      if (opts.fit) await page.locator('body').screenshot({ path: file });
      else await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
      return file;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
