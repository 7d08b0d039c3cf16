import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HistoryOptions } from './core/history-options';
import { HistoryController } from './history.controller';
import { historyOptionsFromEnv } from './history.config';
import { HISTORY_OPTIONS, HISTORY_STORE_FACTORY } from './history.constants';
import { HistoryService, HistoryStoreFactory } from './history.service';
import { SqliteHistoryStore } from './sqlite-history.store';

/** The embedded store; nothing is opened until HistoryService calls it, and never when history is off. */
const openSqliteStore: HistoryStoreFactory = (options: HistoryOptions) => new SqliteHistoryStore(options.dbPath, { busyTimeoutMs: options.busyTimeoutMs });

/**
 * Monitoring history that survives restarts, configured from HISTORY_* variables. Relies on the
 * app's global ConfigModule, ScheduleModule, EventEmitterModule and MonitoringModule (for
 * PerformanceMonitor and its options). With HISTORY_ENABLED=false it opens nothing and starts no
 * timer; its endpoints answer 503 and the status endpoint says history is disabled.
 */
@Module({
  controllers: [HistoryController],
  providers: [
    { provide: HISTORY_OPTIONS, useFactory: historyOptionsFromEnv, inject: [ConfigService] },
    { provide: HISTORY_STORE_FACTORY, useValue: openSqliteStore },
    HistoryService,
  ],
  exports: [HistoryService],
})
export class MonitoringHistoryModule {}
