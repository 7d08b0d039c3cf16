import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsNumber, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ProviderCall } from '../core/provider-call';
import { MAX_ERROR_MESSAGE_LENGTH } from '../core/redact';
import { MAX_ERROR_TYPE_LENGTH, MAX_LATENCY_MS, MAX_PROVIDER_NAME_LENGTH } from '../core/sample-rules';

/** One call reported over HTTP; the same rules as recordProviderCall, checked before anything is stored. */
export class RecordCallDto implements ProviderCall {
  @ApiProperty({ minLength: 1, maxLength: MAX_PROVIDER_NAME_LENGTH, example: 'finnhub' })
  // With stopAtFirstError the bottom decorator is checked first: type before range.
  @Length(1, MAX_PROVIDER_NAME_LENGTH)
  @IsString()
  provider!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_LATENCY_MS, example: 84.2, description: 'Milliseconds waited; a JSON number, not a string' })
  @Max(MAX_LATENCY_MS)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'latencyMs must be a finite JSON number' })
  @IsDefined()
  latencyMs!: number;

  @ApiProperty({ example: true })
  @IsBoolean()
  @IsDefined()
  success!: boolean;

  @ApiPropertyOptional({ example: false, description: 'A timed-out call also counts as a failure' })
  @IsOptional()
  @IsBoolean()
  timedOut?: boolean;

  @ApiPropertyOptional({ example: false })
  @IsOptional()
  @IsBoolean()
  rateLimited?: boolean;

  @ApiPropertyOptional({ example: false, description: 'Counted as a cache hit or miss at level L1 for this provider' })
  @IsOptional()
  @IsBoolean()
  cacheHit?: boolean;

  @ApiPropertyOptional({ maxLength: MAX_ERROR_TYPE_LENGTH, example: 'http_error' })
  @MaxLength(MAX_ERROR_TYPE_LENGTH)
  @IsString()
  @IsOptional()
  errorType?: string;

  @ApiPropertyOptional({ maxLength: 2 * MAX_ERROR_MESSAGE_LENGTH, example: 'HTTP 502 from upstream', description: 'Credentials in it are redacted before storage' })
  @MaxLength(2 * MAX_ERROR_MESSAGE_LENGTH)
  @IsString()
  @IsOptional()
  errorMessage?: string;
}

export class RecordCallsResultDto {
  @ApiProperty({ example: 2, description: 'Calls stored' })
  recorded!: number;
}
