import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { HistoryService } from '../history/history.service';
import { readFile } from 'node:fs/promises';
import { MonitoringOptions } from '../core/monitoring-options';
import { MONITORING_OPTIONS } from '../monitoring.constants';
import { DASHBOARD_OPTIONS, DashboardOptions, HISTORY_API_PATH } from './dashboard.constants';
import { DASHBOARD_SCRIPT } from './dashboard.client';
import { DASHBOARD_STYLES, renderDashboardPage } from './dashboard.page';
import { hasGetRoute } from './route-discovery';

export interface DashboardAsset {
  body: string | Buffer;
  contentType: string;
  /** uPlot only changes with a reinstall; the page's own files change with the app. */
  cacheControl: string;
}

const REVALIDATE = 'no-cache';
const VENDOR_CACHE = 'public, max-age=86400';

/**
 * The page and its files, all held in memory: the page's own files are string constants (the
 * build is plain tsc, which copies no other file), and uPlot is read from its package once.
 */
@Injectable()
export class DashboardAssets implements OnModuleInit, OnApplicationBootstrap {
  private readonly assets = new Map<string, DashboardAsset>();
  private page = '';

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    @Inject(MONITORING_OPTIONS) private readonly options: MonitoringOptions,
    @Inject(DASHBOARD_OPTIONS) private readonly dashboard: DashboardOptions,
  ) {
    this.assets.set('dashboard.js', { body: DASHBOARD_SCRIPT, contentType: 'text/javascript; charset=utf-8', cacheControl: REVALIDATE });
    this.assets.set('dashboard.css', { body: DASHBOARD_STYLES, contentType: 'text/css; charset=utf-8', cacheControl: REVALIDATE });
  }

  /** A missing uPlot stops start-up here rather than breaking the page later. */
  async onModuleInit(): Promise<void> {
    const [script, styles] = await Promise.all([
      readFile(require.resolve('uplot/dist/uPlot.iife.min.js')),
      readFile(require.resolve('uplot/dist/uPlot.min.css')),
    ]);
    this.assets.set('uplot.iife.min.js', { body: script, contentType: 'text/javascript; charset=utf-8', cacheControl: VENDOR_CACHE });
    this.assets.set('uplot.min.css', { body: styles, contentType: 'text/css; charset=utf-8', cacheControl: VENDOR_CACHE });
  }

  /**
   * Every controller is registered by now, so the page can be told whether history exists and
   * is turned on: a page that called a history API answering 503 would fill the console with errors.
   */
  onApplicationBootstrap(): void {
    this.page = renderDashboardPage({
      keyRequired: Boolean(this.options.apiKey),
      historyApi: hasGetRoute(this.discovery, this.scanner, HISTORY_API_PATH) && this.historyEnabled(),
      pushSeconds: this.dashboard.pushSeconds,
    });
  }

  /** The app may have no history module at all (another host's choice): then only the route decides. */
  private historyEnabled(): boolean {
    try {
      return this.moduleRef.get(HistoryService, { strict: false }).enabled;
    } catch {
      return true;
    }
  }

  get html(): string {
    return this.page;
  }

  asset(name: string): DashboardAsset | undefined {
    return this.assets.get(name);
  }
}
