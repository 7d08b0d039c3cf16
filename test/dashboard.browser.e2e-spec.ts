import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { HealthCheckTask, HistoryService, PerformanceMonitor } from '../src/monitoring';
import { chromiumMissing, launchChromium } from './support/browser';
import { createApp } from './support/create-app';

const ARTIFACTS = join(__dirname, '..', 'test-artifacts');
const API = '/api/monitoring';
const calls = (provider: string, n: number, success: (i: number) => boolean, latencyMs: number, cacheHit?: (i: number) => boolean) =>
  Array.from({ length: n }, (_, i) => ({
    provider,
    latencyMs,
    ...(success(i) ? { success: true } : { success: false, errorType: 'http_error', errorMessage: `${provider} answered HTTP 503 on GET /v1/quote` }),
    ...(cacheHit ? { cacheHit: cacheHit(i) } : {}),
  }));
const always = () => true;

if (chromiumMissing) console.warn(chromiumMissing);
const describeInBrowser = chromiumMissing ? describe.skip : describe;

/** Everything the browser reports as going wrong: console errors, uncaught exceptions, failed requests. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  page.on('requestfailed', (req) => {
    // The stream is aborted on purpose when the page goes away or reconnects.
    if (!req.url().endsWith('/api/monitoring/stream')) errors.push(`request: ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  return errors;
}

/** The little of the DOM these callbacks touch; the project's type-check has no DOM library. */
interface DomElement {
  id: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): { length: number };
}

const KEY_STORAGE = 'financehub-monitor.api-key';
const rowNames = (page: Page) =>
  page.locator('#provider-rows tr[data-provider]').evaluateAll((rows: DomElement[]) => rows.map((r) => r.getAttribute('data-provider')));

describeInBrowser('Dashboard in headless Chromium (e2e)', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  describe('without an API key', () => {
    let app: NestExpressApplication;
    let base: string;
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    const post = (body: object[]) => request(app.getHttpServer()).post(`${API}/calls`).send(body).expect(201);
    const tick = () => app.get(HealthCheckTask).runCheck();

    beforeAll(async () => {
      // Pushes come from the test's health checks only, and history stays empty: the charts use live samples.
      app = await createApp({ DASHBOARD_PUSH_SECONDS: '3600', HISTORY_FLUSH_SECONDS: '3600' });
      await app.listen(0, '127.0.0.1');
      base = await app.getUrl();
      context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      page = await context.newPage();
      errors = watchErrors(page);
    });
    afterAll(async () => {
      await context?.close();
      await app?.close();
    });

    it('shows empty states on a fresh start, not errors', async () => {
      await page.goto(`${base}/dashboard`);
      await page.locator('#connection.conn-ok').waitFor();
      await expect(page.locator('#provider-rows td.empty').textContent()).resolves.toContain('No provider has reported yet');
      await expect(page.locator('#alerts li.empty').textContent()).resolves.toBe('No active alerts.');
      await expect(page.locator('#system-status').textContent()).resolves.toBe('UNKNOWN');
      expect(await page.locator('#chart-p95 .chart-empty').isVisible()).toBe(true);
      await expect(page.locator('#history-note').textContent()).resolves.not.toBe('');
      expect(errors).toEqual([]);
    });

    it('shows one row per provider once the stream pushes them', async () => {
      await post(calls('alpha', 24, always, 40, (i) => i % 3 !== 0));
      await post(calls('beta', 20, (i) => i % 10 !== 0, 250, (i) => i % 2 === 0));
      await post(calls('gamma', 5, always, 120));
      await tick();
      await page.locator('#provider-rows tr[data-provider]').nth(2).waitFor({ timeout: 3_000 });
      expect((await rowNames(page)).sort()).toEqual(['alpha', 'beta', 'gamma']);
      const beta = page.locator('#provider-rows tr[data-provider="beta"]');
      await expect(beta.getAttribute('data-status')).resolves.toBe('DEGRADED');
      await expect(beta.locator('td').nth(4).textContent()).resolves.toBe('10 %');
      await expect(beta.locator('td.advice').textContent()).resolves.toContain('beta: error rate 10.0 %');
      await expect(page.locator('#status-counts li[data-status="DEGRADED"] b').textContent()).resolves.toBe('1');
      await expect(page.locator('#uptime').textContent()).resolves.toMatch(/^up \d+/);
      expect(errors).toEqual([]);
    });

    it('draws non-empty charts from the live samples while history has none', async () => {
      await post(calls('alpha', 6, always, 45, always));
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tick();
      await page.locator('#chart-p95:not([data-points="0"]):not([data-points="1"])').waitFor({ timeout: 3_000 });
      const charts = await page.locator('figure.chart').evaluateAll((figures: DomElement[]) =>
        figures.map((f) => ({
          id: f.id,
          series: Number(f.getAttribute('data-series')),
          points: Number(f.getAttribute('data-points')),
          source: f.getAttribute('data-source'),
          canvas: f.querySelector('.plot canvas') !== null,
          legend: f.querySelectorAll('.u-legend .u-series').length,
        })),
      );
      expect(charts).toEqual([
        { id: 'chart-p95', series: 3, points: expect.any(Number), source: 'live', canvas: true, legend: 4 },
        { id: 'chart-errors', series: 3, points: expect.any(Number), source: 'live', canvas: true, legend: 4 },
        { id: 'chart-calls', series: 3, points: expect.any(Number), source: 'live', canvas: true, legend: 4 },
        { id: 'chart-cache', series: 1, points: expect.any(Number), source: 'live', canvas: true, legend: 2 },
      ]);
      for (const chart of charts) expect(chart.points).toBeGreaterThanOrEqual(2);
      // The canvas has been drawn on: some pixel is not transparent.
      const painted = await page.evaluate(`(() => {
        const canvas = document.querySelector('#chart-p95 canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
        return false;
      })()`);
      expect(painted).toBe(true);
      await expect(page.locator('#history-note').textContent()).resolves.toMatch(/live samples/);
      expect(errors).toEqual([]);
    });

    it('sorts by a column when its header is clicked, and again the other way', async () => {
      const header = page.locator('#provider-head th[data-key="provider"]');
      await header.locator('button').click();
      await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
      expect(await rowNames(page)).toEqual(['alpha', 'beta', 'gamma']);
      await header.locator('button').click();
      await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
      expect(await rowNames(page)).toEqual(['gamma', 'beta', 'alpha']);
      // Latency columns sort slowest first on the first click.
      await page.locator('#provider-head th[data-key="p95"] button').click();
      expect(await rowNames(page)).toEqual(['beta', 'gamma', 'alpha']);
      await expect(header.getAttribute('aria-sort')).resolves.toBeNull();
      expect(errors).toEqual([]);
    });

    it('shows a status change and the alerts it fires within seconds of the health check', async () => {
      await post(calls('alpha', 40, () => false, 30));
      await tick();
      await page.locator('#provider-rows tr[data-provider="alpha"][data-status="UNHEALTHY"]').waitFor({ timeout: 3_000 });
      await expect(page.locator('#status-counts li[data-status="UNHEALTHY"] b').textContent()).resolves.toBe('1');
      await expect(page.locator('#system-status').getAttribute('data-status')).resolves.toBe('DEGRADED');
      // Alerts fire on the second breaching check.
      await tick();
      // beta's alerts may already show: wait for alpha's own, which the alerts push brings.
      await page.locator('#alerts li.alert.sev-critical', { hasText: 'provider-unhealthy' }).waitFor({ timeout: 3_000 });
      await expect(page.locator('#alerts li.alert').allTextContents()).resolves.toEqual(
        expect.arrayContaining([expect.stringContaining('provider-unhealthy'), expect.stringContaining('provider-degraded')]),
      );
      await expect(page.locator('#alert-count').textContent()).resolves.not.toBe('0');
      expect(errors).toEqual([]);
    });

    it('switches the chart range and saves a screenshot', async () => {
      await page.locator('#ranges button[data-range="1h"]').click();
      await expect(page.locator('#ranges button[data-range="1h"]').getAttribute('aria-pressed')).resolves.toBe('true');
      await page.locator('#chart-p95 canvas').waitFor();
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
      expect(errors).toEqual([]);
    });

    it('fits a phone screen: the table scrolls sideways, the page does not', async () => {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
      try {
        const small = await phone.newPage();
        const smallErrors = watchErrors(small);
        await small.goto(`${base}/dashboard`);
        await small.locator('#provider-rows tr[data-provider]').first().waitFor();
        await small.locator('#chart-p95 canvas').waitFor();
        const widths = (await small.evaluate(`(() => {
          const wrap = document.querySelector('.table-wrap');
          return { page: document.documentElement.scrollWidth, viewport: window.innerWidth, table: wrap.scrollWidth, wrap: wrap.clientWidth };
        })()`)) as { page: number; viewport: number; table: number; wrap: number };
        expect(widths.page).toBeLessThanOrEqual(widths.viewport);
        expect(widths.table).toBeGreaterThan(widths.wrap);
        await small.screenshot({ path: join(ARTIFACTS, 'dashboard-phone.png'), fullPage: true });
        expect(smallErrors).toEqual([]);
      } finally {
        await phone.close();
      }
    });
  });

  describe('with an API key', () => {
    let app: NestExpressApplication;
    let base: string;

    beforeAll(async () => {
      app = await createApp({ MONITORING_API_KEY: 'browser-secret', HISTORY_FLUSH_SECONDS: '3600' });
      await app.listen(0, '127.0.0.1');
      base = await app.getUrl();
      await request(app.getHttpServer()).post(`${API}/calls`).set('x-api-key', 'browser-secret').send(calls('delta', 12, always, 30)).expect(201);
    });
    afterAll(() => app?.close());

    it('asks for the key before reading anything, then streams with it and keeps it for the tab', async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        const apiCalls: string[] = [];
        page.on('request', (req) => {
          if (req.url().includes('/api/')) apiCalls.push(req.url());
        });
        await page.goto(`${base}/dashboard`);
        await page.locator('#key-panel').waitFor({ state: 'visible' });
        expect(apiCalls).toEqual([]);
        await page.locator('#key-input').fill('browser-secret');
        await page.locator('#key-submit').click();
        await page.locator('#provider-rows tr[data-provider="delta"]').waitFor({ timeout: 3_000 });
        expect(await page.locator('#key-panel').isHidden()).toBe(true);
        await expect(page.evaluate(`sessionStorage.getItem('${KEY_STORAGE}')`)).resolves.toBe('browser-secret');
        // A reload in the same tab does not ask again.
        await page.reload();
        await page.locator('#provider-rows tr[data-provider="delta"]').waitFor({ timeout: 3_000 });
        expect(await page.locator('#key-panel').isHidden()).toBe(true);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });

    it('asks again when the key is refused', async () => {
      const context = await browser.newContext();
      try {
        await context.addInitScript({ content: `sessionStorage.setItem('${KEY_STORAGE}', 'stale-key');` });
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${base}/dashboard`);
        await page.locator('#key-panel').waitFor({ state: 'visible', timeout: 3_000 });
        await expect(page.locator('#key-message').textContent()).resolves.toContain('refused');
        // The refused requests are the only errors the browser reports.
        expect(errors.length).toBeGreaterThan(0);
        for (const error of errors) expect(error).toMatch(/401/);
      } finally {
        await context.close();
      }
    });
  });

  describe('with stored history', () => {
    let app: NestExpressApplication;

    beforeAll(async () => {
      app = await createApp({ HISTORY_FLUSH_SECONDS: '3600' });
      await app.listen(0, '127.0.0.1');
      await request(app.getHttpServer()).post(`${API}/calls`).send(calls('epsilon', 15, always, 80, (i) => i % 2 === 0)).expect(201);
      app.get(PerformanceMonitor).recordCacheHit('L2');
      await app.get(HistoryService).flush();
    });
    afterAll(() => app?.close());

    it('draws the charts from the history API', async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${await app.getUrl()}/dashboard`);
        await page.locator('#chart-p95[data-source="history"]').waitFor({ timeout: 3_000 });
        await expect(page.locator('#history-note').textContent()).resolves.toBe('From the history API, per minute.');
        await expect(page.locator('#chart-p95').getAttribute('data-series')).resolves.toBe('1');
        await expect(page.locator('#chart-cache').getAttribute('data-series')).resolves.toBe('2');
        await page.locator('#chart-cache[data-source="history"] canvas').waitFor({ timeout: 3_000 });
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    });
  });
});
