import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequiresApiKey } from '../api-key.guard';
import { STANDARD_WINDOWS } from '../core/sliding-windows';
import { CostService } from '../cost/cost.service';
import { ErrorResponseDto } from '../dto/error-response.dto';
import { CostQueryDto, CostReportDto, FailoverQueryDto, FailoverViewDto } from '../dto/routing.dto';
import { ProviderRouter } from './provider-router.service';

const badRequest = ApiBadRequestResponse({ type: ErrorResponseDto, description: 'A parameter broke its rule; the message names it' });

/** Where traffic goes and what it costs. Maps the services' answers to HTTP and does no work of its own. */
@ApiTags('routing and cost')
@RequiresApiKey()
@Controller('api/monitoring')
export class RoutingController {
  constructor(
    private readonly router: ProviderRouter,
    private readonly costs: CostService,
  ) {}

  @Get('failover')
  @ApiOperation({
    summary: 'Each capability’s provider order now, every circuit, and failovers per provider pair',
    description: 'A failover is a request moving on from one provider to the next: after it failed, or because it was skipped (circuit open, probes busy, quota spent).',
  })
  @ApiOkResponse({ type: FailoverViewDto })
  @badRequest
  getFailover(@Query() query: FailoverQueryDto): FailoverViewDto {
    const windowMs = STANDARD_WINDOWS.find((w) => w.name === query.window)!.windowMs;
    return { ...this.router.view(windowMs), windowMs };
  }

  @Get('costs')
  @ApiOperation({
    summary: 'Calls, billable calls, cost, quotas, projection and cache savings per provider for the current UTC day or month',
    description: 'Money is exact: amounts are decimal strings summed as integer micro-units, totalled per currency.',
  })
  @ApiOkResponse({ type: CostReportDto })
  @badRequest
  getCosts(@Query() query: CostQueryDto): CostReportDto {
    return this.costs.report(query.period);
  }
}
