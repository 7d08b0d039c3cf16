import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { BILLING_PERIODS, BillingPeriod } from '../core/cost/billing-period';
import { ALERT_RULE_KINDS, AlertRule, AlertRuleKind, RULE_WINDOWS } from '../core/alerts/alert-rules';
import { AlertSeverity } from '../core/alerts/alert.types';
import { HealthThresholds } from '../core/monitoring-options';
import { RuntimeSettings, SettingsChange } from '../monitoring-settings.service';

const finite = { allowNaN: false, allowInfinity: false } as const;
/** Ranges are checked with the other rules of the change, which name them; this only says what kind of value it must be. */
const NUMBER = { message: '$property must be a JSON number (not a string, NaN or Infinity)' };

export class HealthyLimitsDto {
  @ApiPropertyOptional({ example: 0.05, description: 'HEALTHY needs a window error rate below this (0-1)' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  errorRate?: number;
  @ApiPropertyOptional({ example: 500, description: 'HEALTHY needs a window p95 below this (ms)' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  p95LatencyMs?: number;
  @ApiPropertyOptional({ example: 0.05, description: 'HEALTHY needs a window timeout rate below this (0-1)' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  timeoutRate?: number;
}

export class UnhealthyLimitsDto {
  @ApiPropertyOptional({ example: 0.25, description: 'A window error rate at or above this (0-1) makes a provider UNHEALTHY' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  errorRate?: number;
  @ApiPropertyOptional({ example: 2000, description: 'A window p95 at or above this (ms) makes a provider UNHEALTHY' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  p95LatencyMs?: number;
  @ApiPropertyOptional({ example: 0.2, description: 'A window timeout rate at or above this (0-1) makes a provider UNHEALTHY' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  timeoutRate?: number;
  @ApiPropertyOptional({ example: 5, description: 'Consecutive failures that make a provider UNHEALTHY' })
  @IsInt()
  @IsOptional()
  consecutiveFailures?: number;
}

export class ThresholdsChangeDto {
  @ApiPropertyOptional({ example: 10 })
  @IsInt()
  @IsOptional()
  minCalls?: number;
  @ApiPropertyOptional({ type: HealthyLimitsDto })
  @ValidateNested()
  @IsObject()
  @Type(() => HealthyLimitsDto)
  @IsOptional()
  healthy?: HealthyLimitsDto;
  @ApiPropertyOptional({ type: UnhealthyLimitsDto })
  @ValidateNested()
  @IsObject()
  @Type(() => UnhealthyLimitsDto)
  @IsOptional()
  unhealthy?: UnhealthyLimitsDto;
  @ApiPropertyOptional({ example: 0.01 })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  rateLimitedRate?: number;
  @ApiPropertyOptional({ example: 0.5 })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  minCacheHitRate?: number;
  @ApiPropertyOptional({ example: 20 })
  @IsInt()
  @IsOptional()
  minCacheLookups?: number;
}

export class AlertRuleDto implements AlertRule {
  @ApiProperty({ example: 'provider-unhealthy', description: '1-64 letters, digits, dots, dashes, underscores; unique' })
  @IsString()
  id!: string;
  @ApiProperty({ enum: ALERT_RULE_KINDS, example: 'provider_status' })
  @IsIn(ALERT_RULE_KINDS)
  kind!: AlertRuleKind;
  @ApiProperty({ enum: ['info', 'warning', 'critical'], example: 'critical' })
  @IsIn(['info', 'warning', 'critical'])
  severity!: AlertSeverity;
  @ApiPropertyOptional({ enum: ['DEGRADED', 'UNHEALTHY'], description: 'provider_status, system_status: fire at this status or worse' })
  @IsIn(['DEGRADED', 'UNHEALTHY'])
  @IsOptional()
  status?: 'DEGRADED' | 'UNHEALTHY';
  @ApiPropertyOptional({
    example: 0.1,
    description:
      'error_rate, timeout_rate: ratio 0-1 (fires above); p95_latency: ms (fires above); cache_hit_rate: ratio (fires below); ' +
      'failovers: moves in the window (fires above); quota_usage: share of a quota used (fires at or above)',
  })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  limit?: number;
  @ApiPropertyOptional({ enum: RULE_WINDOWS, description: 'Window for error_rate, timeout_rate, p95_latency, failovers (default 5m)' })
  @IsIn(RULE_WINDOWS)
  @IsOptional()
  window?: (typeof RULE_WINDOWS)[number];
  @ApiPropertyOptional({ example: 'L1', description: 'cache_hit_rate: the cache level' })
  @IsString()
  @IsOptional()
  level?: string;
  @ApiPropertyOptional({ example: 0.995, description: 'slo_burn_rate: the success ratio promised over 30 days' })
  @IsNumber(finite, NUMBER)
  @IsOptional()
  target?: number;
  @ApiPropertyOptional({ type: [String], description: 'Only these providers (default: all)' })
  @IsString({ each: true })
  @IsArray()
  @IsOptional()
  providers?: string[];
  @ApiPropertyOptional({ example: 10, description: 'Fewest calls (or lookups) in the window before the rule judges' })
  @IsInt()
  @IsOptional()
  minCalls?: number;
  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], example: '50', description: 'cost_budget: projected cost above this fires (a decimal, at most 6 decimals)' })
  // Checked with the other rule fields, so the message names the rule: rules[2].budget must be ...
  @Allow()
  budget?: string | number;
  @ApiPropertyOptional({ example: 'USD', description: 'cost_budget: currency of the budget (default USD)' })
  @IsString()
  @IsOptional()
  currency?: string;
  @ApiPropertyOptional({ enum: BILLING_PERIODS, description: 'cost_budget: the UTC day or month projected to its end (default month)' })
  @IsIn(BILLING_PERIODS)
  @IsOptional()
  period?: BillingPeriod;
}

/** PUT body: any part of the thresholds; `rules`, when given, replaces the whole list. */
export class SettingsChangeDto implements SettingsChange {
  @ApiPropertyOptional({ type: ThresholdsChangeDto })
  @ValidateNested()
  @IsObject()
  @Type(() => ThresholdsChangeDto)
  @IsOptional()
  thresholds?: ThresholdsChangeDto;
  @ApiPropertyOptional({ type: [AlertRuleDto] })
  @ValidateNested({ each: true })
  @Type(() => AlertRuleDto)
  @IsArray()
  @IsOptional()
  rules?: AlertRuleDto[];
}

class FullHealthyLimitsDto {
  @ApiProperty({ example: 0.05 })
  errorRate!: number;
  @ApiProperty({ example: 500 })
  p95LatencyMs!: number;
  @ApiProperty({ example: 0.05 })
  timeoutRate!: number;
}

class FullUnhealthyLimitsDto {
  @ApiProperty({ example: 0.25 })
  errorRate!: number;
  @ApiProperty({ example: 2000 })
  p95LatencyMs!: number;
  @ApiProperty({ example: 0.2 })
  timeoutRate!: number;
  @ApiProperty({ example: 5 })
  consecutiveFailures!: number;
}

export class ThresholdsDto implements HealthThresholds {
  @ApiProperty({ example: 10 })
  minCalls!: number;
  @ApiProperty({ type: FullHealthyLimitsDto })
  healthy!: FullHealthyLimitsDto;
  @ApiProperty({ type: FullUnhealthyLimitsDto })
  unhealthy!: FullUnhealthyLimitsDto;
  @ApiProperty({ example: 0.01 })
  rateLimitedRate!: number;
  @ApiProperty({ example: 0.5 })
  minCacheHitRate!: number;
  @ApiProperty({ example: 20 })
  minCacheLookups!: number;
}

export class SettingsDto implements RuntimeSettings {
  @ApiProperty({ type: ThresholdsDto })
  thresholds!: ThresholdsDto;
  @ApiProperty({ type: [AlertRuleDto] })
  rules!: AlertRuleDto[];
}
