import { ApiProperty } from '@nestjs/swagger';
import { WindowSnapshot } from '../core/sliding-windows';

const LATENCY_NOTE =
  'Nearest-rank percentile (rank = ceil(q * calls)) from a log histogram, within 1 % of the exact value; ' +
  'the lowest and highest ranks are the exact min and max. Null when the window has no calls.';

export class WindowSnapshotDto implements WindowSnapshot {
  @ApiProperty({ example: 300000, description: 'Length of the sliding window in milliseconds' })
  windowMs!: number;
  @ApiProperty({ example: 412, description: 'Calls in the window' })
  calls!: number;
  @ApiProperty({ example: 9 })
  failures!: number;
  @ApiProperty({ example: 2 })
  timeouts!: number;
  @ApiProperty({ example: 1 })
  rateLimited!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.0218, description: 'failures / calls (0-1); null with no calls' })
  errorRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.0049 })
  timeoutRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.0024 })
  rateLimitedRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 61.3 })
  avgLatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 12.1 })
  minLatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 2001.4 })
  maxLatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 41.8, description: LATENCY_NOTE })
  p50LatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 118.5, description: LATENCY_NOTE })
  p95LatencyMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 530.2, description: LATENCY_NOTE })
  p99LatencyMs!: number | null;
  @ApiProperty({ example: 82.4, description: 'Calls per minute over the part of the window that has seen calls' })
  callsPerMinute!: number;
}
