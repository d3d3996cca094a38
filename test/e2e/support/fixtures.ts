import { test as base, expect, type Browser, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_TOKEN, ENV_BASE } from './server-env.js';

export function serverBase(): string {
  const b = process.env[ENV_BASE];
  if (!b) throw new Error(`${ENV_BASE} is not set: run through playwright.config.ts (its globalSetup starts the server)`);
  return b;
}

/** The API as an integration partner sees it (Bearer token), for arranging data. */
export async function api<T = unknown>(path: string, init: { method?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const res = await fetch(serverBase() + path, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${E2E_TOKEN}`, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${path} → ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Signs the page's context in the way a person would: a fresh one-time link sets the session cookie. */
export async function signIn(page: Page): Promise<void> {
  const { url } = await api<{ url: string }>('/api/v1/login-links', { method: 'POST', json: {} });
  await page.goto(serverBase() + url);
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
}

/** Console errors and uncaught exceptions of the page from now on (CSP violations arrive as console errors); a spec expects it empty. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

export async function signedInPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: serverBase() });
  const page = await context.newPage();
  await signIn(page);
  return page;
}

/** Screenshots of every screen, kept as artifacts in test-results/screens/ and attached to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const dir = join(testInfo.project.outputDir, 'screens');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

export const test = base.extend<{ baseURL: string }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(serverBase());
  },
});
export { expect };
