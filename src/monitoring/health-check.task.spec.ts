import { AlertService } from './alerts/alert.service';
import { MonitoringSettings } from './monitoring-settings.service';
import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { ManualClock } from './core/manual-clock';
import { resolveMonitoringOptions } from './core/monitoring-options';
import { HealthCheckTask, HealthChangedEvent, ProviderStatusChangedEvent } from './health-check.task';
import { HealthScorer } from './health-scorer.service';
import { AlertNotification } from './core/alerts/alert.types';
import { HEALTH_CHECK_JOB, MonitoringEvents } from './monitoring.constants';
import { PerformanceMonitor } from './performance-monitor.service';
import { CostService } from './cost/cost.service';
import { ProviderRouter } from './routing/provider-router.service';

function setup() {
  const options = resolveMonitoringOptions({ clock: new ManualClock(), healthCheckIntervalSeconds: 60 });
  const monitor = new PerformanceMonitor(options);
  const scorer = new HealthScorer(monitor, new MonitoringSettings(options), options);
  const scheduler = new SchedulerRegistry();
  const events = new EventEmitter2();
  const settings = new MonitoringSettings(options);
  const costs = new CostService(monitor, options);
  const router = new ProviderRouter(monitor, scorer, costs, events, options);
  const alerts = new AlertService(monitor, scorer, settings, events, router, costs, options);
  const task = new HealthCheckTask(scorer, scheduler, events, alerts, options);
  const feed = (provider: string, n: number, success: boolean) => {
    for (let i = 0; i < n; i++) monitor.recordProviderCall({ provider, latencyMs: 20, success });
  };
  return { monitor, scorer, scheduler, events, task, feed, alerts };
}

describe('HealthCheckTask', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('registers its interval with the SchedulerRegistry at start-up from the configured seconds', async () => {
    const { task, scheduler, scorer } = setup();
    const evaluate = jest.spyOn(scorer, 'calculateHealthStatus');
    task.onModuleInit();
    expect(scheduler.getIntervals()).toEqual([HEALTH_CHECK_JOB]);
    await jest.advanceTimersByTimeAsync(59_999);
    expect(evaluate).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(evaluate).toHaveBeenCalledTimes(1);
    task.onModuleDestroy();
    expect(scheduler.getIntervals()).toEqual([]);
  });

  it('never runs two checks at once, keeps one timer, and stops cleanly (C08)', async () => {
    const { task, scheduler, scorer, events, feed } = setup();
    feed('p', 20, true);
    // A listener that takes 150 ms makes every check take 150 ms against a 100 ms interval.
    let active = 0;
    let maxActive = 0;
    events.on(MonitoringEvents.providerStatusChanged, async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise((resolve) => setTimeout(resolve, 150));
      active--;
    });
    const evaluate = jest.spyOn(scorer, 'calculateHealthStatus');
    task.startBackgroundCheck(0.1);
    task.startBackgroundCheck(0.1);
    expect(scheduler.getIntervals()).toEqual([HEALTH_CHECK_JOB]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(maxActive).toBe(1);
    expect(task.schedule.skippedTicks).toBeGreaterThan(0);
    expect(evaluate.mock.calls.length + task.schedule.skippedTicks).toBe(10);
    task.stopBackgroundCheck();
    expect(scheduler.getIntervals()).toEqual([]);
    const calls = evaluate.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1_000);
    expect(evaluate.mock.calls.length).toBe(calls);
  });

  it('logs a failing tick and runs the next one (C09)', async () => {
    const { task, scorer, feed } = setup();
    feed('p', 20, true);
    jest.spyOn(scorer, 'calculateHealthStatus').mockImplementationOnce(() => {
      throw new Error('scoring exploded');
    });
    task.startBackgroundCheck(1);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('scoring exploded'));
    expect(task.getLatest()).toBeNull();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(task.getLatest()).toMatchObject({ status: 'HEALTHY' });
    task.stopBackgroundCheck();
  });

  it('emits provider and system status changes once per change', async () => {
    const { task, events, feed } = setup();
    const providerEvents: ProviderStatusChangedEvent[] = [];
    const systemEvents: HealthChangedEvent[] = [];
    events.on(MonitoringEvents.providerStatusChanged, (e: ProviderStatusChangedEvent) => providerEvents.push(e));
    events.on(MonitoringEvents.healthChanged, (e: HealthChangedEvent) => systemEvents.push(e));
    feed('a', 20, true);
    feed('b', 20, true);
    await task.runCheck();
    await task.runCheck();
    feed('b', 20, false);
    await task.runCheck();
    expect(providerEvents.map((e) => [e.provider, e.previous, e.current])).toEqual([
      ['a', 'UNKNOWN', 'HEALTHY'],
      ['b', 'UNKNOWN', 'HEALTHY'],
      ['b', 'HEALTHY', 'UNHEALTHY'],
    ]);
    expect(systemEvents.map((e) => [e.previous, e.current])).toEqual([
      ['UNKNOWN', 'HEALTHY'],
      ['HEALTHY', 'DEGRADED'],
    ]);
    expect(systemEvents[1].health.unhealthyProviders).toEqual(['b']);
  });

  it('judges the alert rules on each tick and emits fired and resolved events once each', async () => {
    const { task, events, monitor, feed } = setup();
    const seen: string[] = [];
    events.on(MonitoringEvents.alertFired, (n: AlertNotification) => seen.push(`fired ${n.alert.rule} ${n.alert.subject}`));
    events.on(MonitoringEvents.alertResolved, (n: AlertNotification) => seen.push(`resolved ${n.alert.rule} ${n.alert.subject}`));
    feed('p', 20, false);
    task.startBackgroundCheck(60);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toEqual([]); // one breach: not yet
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toEqual(expect.arrayContaining(['fired provider-unhealthy p', 'fired system-unhealthy system']));
    const fired = seen.length;
    await jest.advanceTimersByTimeAsync(60_000);
    expect(seen).toHaveLength(fired); // firing alerts are not sent again
    monitor.reset();
    feed('p', 20, true);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(seen.slice(fired).sort()).toEqual(seen.slice(0, fired).map((s) => s.replace('fired', 'resolved')).sort());
    task.stopBackgroundCheck();
  });

  it('refuses a nonsensical interval and keeps the running schedule', () => {
    const { task, scheduler } = setup();
    task.startBackgroundCheck(5);
    expect(() => task.startBackgroundCheck(0)).toThrow(/intervalSeconds must be a positive number/);
    expect(scheduler.getIntervals()).toEqual([HEALTH_CHECK_JOB]);
    expect(task.schedule.intervalSeconds).toBe(5);
    task.stopBackgroundCheck();
  });
});
