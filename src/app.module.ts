import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { monitoringOptionsFromEnv } from './app.config';
import { AppController } from './app.controller';
import { FinanceHubModule } from './financehub/financehub.module';
import { MonitoringDashboardModule, MonitoringHistoryModule, MonitoringModule } from './monitoring';

@Module({
  imports: [
    // Tests set their environment in code; a developer's .env must not leak into them.
    ConfigModule.forRoot({ isGlobal: true, cache: true, ignoreEnvFile: process.env.NODE_ENV === 'test' }),
    ScheduleModule.forRoot(),
    EventEmitterModule.forRoot(),
    MonitoringModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: monitoringOptionsFromEnv,
    }),
    FinanceHubModule,
    MonitoringDashboardModule,
    MonitoringHistoryModule,
  ],
  controllers: [AppController],
})
export class AppModule {}
