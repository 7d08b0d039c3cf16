import { ApiProperty } from '@nestjs/swagger';
import { HEALTH_STATUSES, HealthIssue, HealthStatus, ProviderHealth, ScoreFactors, SystemHealth } from '../core/health-evaluator';
import { ISSUE_TYPES, IssueType } from '../core/monitoring.messages';

export class HealthIssueDto implements HealthIssue {
  @ApiProperty({ enum: ISSUE_TYPES, example: 'high_latency' })
  type!: IssueType;
  @ApiProperty({ enum: ['info', 'warning', 'critical'], example: 'warning' })
  severity!: 'info' | 'warning' | 'critical';
  @ApiProperty({ type: Number, nullable: true, example: 712, description: 'Measured value: a 0-1 ratio, milliseconds for high_latency, calls for no_data, failures in a row for a failing streak' })
  value!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 500, description: 'The threshold it was compared with' })
  limit!: number | null;
  @ApiProperty({
    example:
      'alphavantage: p95 latency 712 ms over the last 5 min is at or above the 500 ms limit. Lower its timeout so slow calls fail over sooner, cache its responses longer, or move it behind a faster provider in the chain.',
  })
  recommendation!: string;
}

export class ScoreFactorsDto implements ScoreFactors {
  @ApiProperty({ example: 64, description: '0-100: 100 at 0 ms, 0 at the unhealthy p95 limit (weight 0.3)' })
  latency!: number;
  @ApiProperty({ example: 91, description: '0-100: 100 at no errors, 0 at the unhealthy error rate (weight 0.4)' })
  reliability!: number;
  @ApiProperty({ example: 100, description: '0-100: 100 at no timeouts, 0 at the unhealthy timeout rate (weight 0.2)' })
  timeouts!: number;
  @ApiProperty({ example: 99, description: '0-100: 100 just after a success, 0 when the last success is a window old (weight 0.1)' })
  freshness!: number;
}

export class ProviderHealthDto implements ProviderHealth {
  @ApiProperty({ example: 'alphavantage' })
  provider!: string;
  @ApiProperty({ enum: HEALTH_STATUSES, example: 'DEGRADED' })
  status!: HealthStatus;
  @ApiProperty({ type: Number, nullable: true, example: 81, description: '0-100 weighted score to rank providers; null with no calls in the window' })
  score!: number | null;
  @ApiProperty({ type: ScoreFactorsDto, nullable: true })
  factors!: ScoreFactorsDto | null;
  @ApiProperty({ example: 212, description: 'Calls in the window' })
  calls!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.02 })
  errorRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0 })
  timeoutRate!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 712 })
  p95LatencyMs!: number | null;
  @ApiProperty({ example: 0 })
  consecutiveFailures!: number;
  @ApiProperty({ type: [HealthIssueDto] })
  issues!: HealthIssueDto[];
}

export class StatusCountsDto implements Record<HealthStatus, number> {
  @ApiProperty({ example: 1 })
  HEALTHY!: number;
  @ApiProperty({ example: 1 })
  DEGRADED!: number;
  @ApiProperty({ example: 0 })
  UNHEALTHY!: number;
  @ApiProperty({ example: 1 })
  UNKNOWN!: number;
}

export class EvaluationErrorDto {
  @ApiProperty({ example: 'finnhub' })
  provider!: string;
  @ApiProperty({ example: 'unexpected metric shape' })
  message!: string;
}

export class SystemHealthDto implements SystemHealth {
  @ApiProperty({
    enum: HEALTH_STATUSES,
    example: 'DEGRADED',
    description:
      'UNHEALTHY (HTTP 503) when no judged provider works or more than half are UNHEALTHY; DEGRADED when any is DEGRADED or UNHEALTHY; ' +
      'HEALTHY otherwise. UNKNOWN providers are not counted; with none judged yet the system is UNKNOWN (HTTP 200).',
  })
  status!: HealthStatus;
  @ApiProperty({ example: '2026-12-03T19:20:00.000Z' })
  evaluatedAt!: string;
  @ApiProperty({ example: 300000 })
  windowMs!: number;
  @ApiProperty({ type: StatusCountsDto })
  counts!: StatusCountsDto;
  @ApiProperty({ type: [String], example: [] })
  unhealthyProviders!: string[];
  @ApiProperty({ type: [String], example: ['alphavantage'] })
  degradedProviders!: string[];
  @ApiProperty({ type: [ProviderHealthDto] })
  providers!: ProviderHealthDto[];
  @ApiProperty({ type: [EvaluationErrorDto], description: 'Providers whose evaluation failed; they are reported UNKNOWN' })
  errors!: EvaluationErrorDto[];
}
