import { ApiProperty } from '@nestjs/swagger';
import { ProviderCountTotals } from '../core/metrics-registry';
import { MonitorStats } from '../performance-monitor.service';
import { CacheStatsDto } from './cache-stats.dto';
import { WindowSnapshotDto } from './window-snapshot.dto';

export class CountTotalsDto implements ProviderCountTotals {
  @ApiProperty({ example: 5230 })
  calls!: number;
  @ApiProperty({ example: 5011 })
  successes!: number;
  @ApiProperty({ example: 219 })
  failures!: number;
  @ApiProperty({ example: 12 })
  timeouts!: number;
  @ApiProperty({ example: 31 })
  rateLimited!: number;
}

export class StatsDto implements MonitorStats {
  @ApiProperty({ type: CountTotalsDto, description: 'All-time counts over every provider' })
  totals!: CountTotalsDto;
  @ApiProperty({ type: WindowSnapshotDto, description: 'The sliding window over every provider together' })
  window!: WindowSnapshotDto;
  @ApiProperty({ type: CacheStatsDto })
  cache!: CacheStatsDto;
  @ApiProperty({ example: 3 })
  providers!: number;
  @ApiProperty({ example: 1000 })
  maxProviders!: number;
  @ApiProperty({ example: 2, description: 'Samples refused for their content (bad latency, empty or long name...)' })
  invalidSamples!: number;
  @ApiProperty({ example: 0, description: 'Valid samples refused because the provider cap was reached' })
  rejectedSamples!: number;
  @ApiProperty({ example: '2026-12-03T19:00:00.000Z' })
  startedAt!: string;
  @ApiProperty({ example: 1200 })
  uptimeSeconds!: number;
}
