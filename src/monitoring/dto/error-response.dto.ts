import { ApiProperty } from '@nestjs/swagger';

/** The body of every 4xx answer, as Nest's exception layer writes it. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['limit must not be greater than 100'],
    description: 'What was wrong, naming the field and the rule',
  })
  message!: string | string[];
  @ApiProperty({ example: 'Bad Request' })
  error!: string;
}
