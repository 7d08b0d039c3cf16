import { ApiProperty } from '@nestjs/swagger';
import { CacheCounts, ProviderMetrics, ProviderTotals } from '../core/provider-stats';
import { WindowSnapshotDto } from './window-snapshot.dto';

export class CacheCountsDto implements CacheCounts {
  @ApiProperty({ example: 120 })
  hits!: number;
  @ApiProperty({ example: 40 })
  misses!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.75, description: 'hits / (hits + misses); null before the first lookup' })
  hitRate!: number | null;
}

export class ProviderTotalsDto implements ProviderTotals {
  @ApiProperty({ example: 1520, description: 'All-time calls since start or the last reset' })
  calls!: number;
  @ApiProperty({ example: 1490 })
  successes!: number;
  @ApiProperty({ example: 30 })
  failures!: number;
  @ApiProperty({ example: 4 })
  timeouts!: number;
  @ApiProperty({ example: 2 })
  rateLimited!: number;
  @ApiProperty({ example: 0, description: 'Failures since the last success' })
  consecutiveFailures!: number;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T19:20:01.120Z' })
  lastSuccessAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T19:18:44.002Z' })
  lastFailureAt!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'rate_limited' })
  lastErrorType!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'HTTP 429 from /api/v1/quote?symbol=AAPL&token=***', description: 'Credentials are replaced by ***' })
  lastErrorMessage!: string | null;
}

export class ProviderMetricsDto implements ProviderMetrics {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;
  @ApiProperty({ type: ProviderTotalsDto })
  totals!: ProviderTotalsDto;
  @ApiProperty({ type: WindowSnapshotDto, description: 'The sliding window health is judged on' })
  window!: WindowSnapshotDto;
  @ApiProperty({ type: CacheCountsDto, description: 'Cache lookups attributed to this provider' })
  cache!: CacheCountsDto;
}
