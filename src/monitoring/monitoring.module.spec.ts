import { Injectable, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test } from '@nestjs/testing';
import { HealthScorer, MONITORING_OPTIONS, MonitoringModule, MonitoringModuleOptions, MonitoringOptions, PerformanceMonitor } from './index';
import { HEALTH_CHECK_JOB } from './monitoring.constants';

/** A consumer in another module, as a host app would write one. */
@Injectable()
class QuoteService {
  constructor(
    readonly monitor: PerformanceMonitor,
    readonly scorer: HealthScorer,
  ) {}
}

@Injectable()
class OptionsFromClass {
  create(): MonitoringModuleOptions {
    return { maxProviders: 9 };
  }
}

@Module({ providers: [{ provide: 'SETTINGS', useValue: { maxProviders: 8 } }], exports: ['SETTINGS'] })
class SettingsModule {}

async function compile(monitoring: ReturnType<typeof MonitoringModule.forRoot>) {
  @Module({ imports: [monitoring], providers: [QuoteService] })
  class ConsumerModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [ScheduleModule.forRoot(), EventEmitterModule.forRoot(), monitoring, ConsumerModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('MonitoringModule', () => {
  it('forRoot merges the options with the defaults and exports the monitor and scorer', async () => {
    const moduleRef = await compile(MonitoringModule.forRoot({ maxProviders: 7, healthCheckIntervalSeconds: 30 }));
    const options = moduleRef.get<MonitoringOptions>(MONITORING_OPTIONS);
    expect(options).toMatchObject({ maxProviders: 7, healthCheckIntervalSeconds: 30, windowMs: 300_000 });
    const consumer = moduleRef.get(QuoteService);
    expect(consumer.monitor).toBe(moduleRef.get(PerformanceMonitor));
    consumer.monitor.recordProviderCall({ provider: 'p', latencyMs: 1, success: true });
    expect(consumer.scorer.getProviderStatus('p')).toBe('UNKNOWN');
    expect(moduleRef.get(SchedulerRegistry).getIntervals()).toEqual([HEALTH_CHECK_JOB]);
    await moduleRef.close();
    expect(moduleRef.get(SchedulerRegistry).getIntervals()).toEqual([]);
  });

  it('forRootAsync takes options from a factory with injected dependencies', async () => {
    const moduleRef = await compile(
      MonitoringModule.forRootAsync({
        imports: [SettingsModule],
        inject: ['SETTINGS'],
        useFactory: (settings: { maxProviders: number }) => ({ maxProviders: settings.maxProviders }),
      }),
    );
    expect(moduleRef.get<MonitoringOptions>(MONITORING_OPTIONS).maxProviders).toBe(8);
    await moduleRef.close();
  });

  it('forRootAsync takes options from a class', async () => {
    const moduleRef = await compile(MonitoringModule.forRootAsync({ useClass: OptionsFromClass }));
    expect(moduleRef.get<MonitoringOptions>(MONITORING_OPTIONS).maxProviders).toBe(9);
    await moduleRef.close();
  });

  it('refuses invalid options at start-up with a message naming them', async () => {
    await expect(compile(MonitoringModule.forRoot({ thresholds: { unhealthy: { errorRate: 2 } } }))).rejects.toThrow(
      /thresholds.unhealthy.errorRate must be a number from 0 to 1/,
    );
  });
});
