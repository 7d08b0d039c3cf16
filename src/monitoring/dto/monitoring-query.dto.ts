import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, Max, Min } from 'class-validator';
import { WINDOW_NAMES, WindowName } from '../core/sliding-windows';

/** Which sliding window a read reports; health always uses its configured window. */
export class WindowQueryDto {
  @ApiPropertyOptional({ enum: WINDOW_NAMES, default: '5m', description: 'Sliding window to report' })
  @IsIn(WINDOW_NAMES)
  window: WindowName = '5m';
}

export class SlowestQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'How many providers to return' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 5;
}

export class ErrorProneQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 1, default: 0.05, description: 'Window error rate (0-1) at or above which a provider is listed' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  threshold: number = 0.05;
}
