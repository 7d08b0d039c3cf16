import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AlertRecord, AlertSeverity, AlertState } from '../core/alerts/alert.types';
import { AlertListing } from '../alerts/alert.service';
import { DispatcherStats, TargetStats } from '../alerts/webhook-dispatcher';

export class AlertRecordDto implements AlertRecord {
  @ApiProperty({ example: 'provider-unhealthy:coingecko:1764790200000' })
  id!: string;
  @ApiProperty({ example: 'provider-unhealthy', description: 'Rule id; burn-rate rules add :page or :ticket' })
  rule!: string;
  @ApiProperty({ type: String, nullable: true, example: 'coingecko' })
  provider!: string | null;
  @ApiProperty({ example: 'coingecko', description: 'A provider, cache:<level>, or system' })
  subject!: string;
  @ApiProperty({ enum: ['info', 'warning', 'critical'], example: 'critical' })
  severity!: AlertSeverity;
  @ApiProperty({ enum: ['firing', 'resolved'], example: 'firing' })
  state!: AlertState;
  @ApiProperty({ type: Number, nullable: true, example: 0.31, description: 'Measured value at the last evaluation' })
  value!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.25 })
  limit!: number | null;
  @ApiProperty({ example: '2026-12-03T19:50:00.000Z' })
  startedAt!: string;
  @ApiProperty({ type: String, nullable: true, example: null })
  resolvedAt!: string | null;
  @ApiProperty({ example: 'coingecko is UNHEALTHY. coingecko: error rate 31.0 % over the last 5 min is at or above the 25.0 % limit. …' })
  message!: string;
}

export class TargetStatsDto implements TargetStats {
  @ApiProperty({ example: 'ops-json' })
  name!: string;
  @ApiProperty({ example: 'https://hooks.example.com/…', description: 'Scheme and host only: the path may hold a token' })
  target!: string;
  @ApiProperty({ example: 0 })
  queued!: number;
  @ApiProperty({ example: 4 })
  delivered!: number;
  @ApiProperty({ example: 0, description: 'Gave up after every retry, or refused with a permanent 4xx' })
  failed!: number;
  @ApiProperty({ example: 0, description: 'Dropped because the queue was full (the oldest goes first)' })
  dropped!: number;
  @ApiProperty({ example: 1 })
  retried!: number;
  @ApiProperty({ type: String, nullable: true, example: null })
  lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-12-03T19:50:00.120Z' })
  lastDeliveredAt!: string | null;
}

export class DeliveryStatsDto implements DispatcherStats {
  @ApiProperty({ type: [TargetStatsDto] })
  targets!: TargetStatsDto[];
  @ApiProperty({ example: 4 })
  delivered!: number;
  @ApiProperty({ example: 0 })
  failed!: number;
  @ApiProperty({ example: 0 })
  dropped!: number;
  @ApiProperty({ example: 0 })
  queued!: number;
}

export class AlertListingDto implements AlertListing {
  @ApiProperty({ type: [AlertRecordDto], description: 'Firing alerts, newest first' })
  active!: AlertRecordDto[];
  @ApiProperty({ type: [AlertRecordDto], description: 'Resolved alerts, newest first' })
  history!: AlertRecordDto[];
  @ApiProperty({ type: DeliveryStatsDto, description: 'Webhook deliveries' })
  delivery!: DeliveryStatsDto;
}

const DECIMAL_INTEGER = /^[+-]?\d+$/;

export class AlertQueryDto {
  @ApiPropertyOptional({ enum: ['firing', 'resolved'], description: 'Only firing (active) or only resolved (history) alerts' })
  @IsIn(['firing', 'resolved'])
  @IsOptional()
  state?: AlertState;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50 })
  @Max(500)
  @Min(1)
  @IsInt({ message: 'limit must be a whole number written in decimal, given once' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : NaN))
  limit: number = 50;
}
