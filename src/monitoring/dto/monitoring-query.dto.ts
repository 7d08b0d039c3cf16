import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNumber, Max, Min } from 'class-validator';
import { WINDOW_NAMES, WindowName } from '../core/sliding-windows';

/** A decimal number written out (`5`, `0.25`), else NaN: '' , 'abc', '0x10' and repeated parameters all fail. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && DECIMAL.test(value) ? Number(value) : NaN);

/** Which sliding window a read reports; health always uses its configured window. */
export class WindowQueryDto {
  @ApiPropertyOptional({ enum: WINDOW_NAMES, default: '5m', description: 'Sliding window to report' })
  @IsIn(WINDOW_NAMES)
  window: WindowName = '5m';
}

export class SlowestQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'How many providers to return' })
  @Max(100)
  @Min(1)
  @IsInt({ message: 'limit must be a whole number written in decimal, given once' })
  @Transform(toNumber)
  limit: number = 5;
}

export class ErrorProneQueryDto extends WindowQueryDto {
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 1, default: 0.05, description: 'Window error rate (0-1) at or above which a provider is listed' })
  @Max(1)
  @Min(0)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'threshold must be a decimal number, given once' })
  @Transform(toNumber)
  threshold: number = 0.05;
}

/** For endpoints that take no parameters (or body): anything sent gets 400 rather than being ignored. */
export class NoParamsDto {}
