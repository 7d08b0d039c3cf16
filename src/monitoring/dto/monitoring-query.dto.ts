import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';

export class SlowestQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 5, description: 'How many providers to return' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 5;
}

export class ErrorProneQueryDto {
  @ApiPropertyOptional({ type: 'number', minimum: 0, maximum: 1, default: 0.05, description: 'Window error rate (0-1) at or above which a provider is listed' })
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  threshold: number = 0.05;
}
