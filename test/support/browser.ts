/**
 * Browser tests: playwright-core driving Debian's chromium (`/usr/bin/chromium`, or CHROMIUM_PATH),
 * never a downloaded browser. Without chromium the test fails with the fix, it does not skip.
 * Each launch gets a fresh profile; screenshots go to `test-results/browser/` (git-ignored), on
 * every `snap` and on failure. `checkA11y` runs axe-core in the page and fails on serious or
 * critical violations; `watchPage` fails on page errors and Content-Security-Policy refusals.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type express from 'express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'browser');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserSession {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(o: { viewport?: { width: number; height: number } } = {}): Promise<BrowserSession> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian's chromium at ${CHROMIUM}: run \`apt-get install -y chromium\` (never a browser download), or set CHROMIUM_PATH`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'phananh-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: o.viewport ?? { width: 1280, height: 860 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    offline: false,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The app on an ephemeral loopback port. */
export async function listen(app: express.Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Saves a full-page PNG under test-results/browser/. */
export async function snap(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Collects page errors, CSP refusals and page assets that failed; `assertClean()` fails if there were any. */
export function watchPage(page: Page): { assertClean(): void } {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // A failed fetch the test makes on purpose is logged too; failed page assets are caught below.
    if (/^Failed to load resource/.test(msg.text())) return;
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (res.status() >= 400 && ['stylesheet', 'script', 'image', 'font', 'manifest'].includes(type)) problems.push(`${type} ${res.url()} answered ${res.status()}`);
  });
  return {
    assertClean() {
      if (problems.length > 0) throw new Error(`the page reported problems:\n${problems.join('\n')}`);
    },
  };
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe-core in the page; throws on serious or critical violations (listing them). */
export async function checkA11y(page: Page, what: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    throw new Error(`accessibility (axe) on ${what}:\n${bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`).join('\n')}`);
  }
}

/** Runs a browser step; on failure saves a screenshot named after the test before rethrowing. */
export async function withFailureScreenshot<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const file = await snap(page, `FAILED-${name}`).catch(() => null);
    if (file && err instanceof Error) err.message += `\n(screenshot: ${file})`;
    throw err;
  }
}
