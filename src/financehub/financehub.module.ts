import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PerformanceMonitor } from '../monitoring';
import { CALL_TRACKER, unmonitoredTracker } from './call-tracker';
import type { FinanceHubConfig } from './financehub.config';
import { FINANCEHUB_CONFIG } from './financehub.constants';
import { DataOrchestrator } from './data-orchestrator.service';
import {
  cacheProvider,
  configProvider,
  marketDataProvidersProvider,
  randomProvider,
  simulatorProvider,
} from './financehub.providers';
import { MarketDataController } from './market-data.controller';
import { ProviderSimulator } from './simulator/provider-simulator';
import { SimulatorController } from './simulator/simulator.controller';
import { TrafficGenerator } from './traffic/traffic-generator.service';

/**
 * FinanceHub: market data from external providers behind an L1 cache, every provider call
 * timed by the monitoring library. Needs ConfigService, SchedulerRegistry and
 * PerformanceMonitor from the application (global ConfigModule, ScheduleModule, MonitoringModule).
 */
@Module({
  controllers: [MarketDataController, SimulatorController],
  providers: [
    configProvider,
    randomProvider,
    simulatorProvider,
    marketDataProvidersProvider,
    cacheProvider,
    {
      provide: CALL_TRACKER,
      useFactory: (config: FinanceHubConfig, monitor: PerformanceMonitor) => (config.monitoring ? monitor : unmonitoredTracker),
      inject: [FINANCEHUB_CONFIG, PerformanceMonitor],
    },
    DataOrchestrator,
    TrafficGenerator,
  ],
  exports: [DataOrchestrator, ProviderSimulator],
})
export class FinanceHubModule implements OnApplicationShutdown {
  constructor(
    // null when SIMULATOR_ENABLED=false
    @Inject(ProviderSimulator)
    private readonly simulator: ProviderSimulator | null,
  ) {}

  // After onModuleDestroy, so the traffic generator has stopped before its target goes away.
  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.close();
  }
}
