import { BadRequestException, Body, Controller, Get, Inject, NotFoundException, Optional, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequiresApiKey } from '../../monitoring';
import { ProviderSimulator } from './provider-simulator';
import { ProviderProfile, SIMULATED_PROVIDERS, SimulatorProfileError, isSimulatedProvider } from './simulator-profile';

/**
 * Changes how a simulated provider behaves while the app runs, to watch the monitor react (a
 * provider going flaky, slow or down, then recovering). Present only with the simulator on,
 * and behind the monitoring API key when one is set.
 */
@ApiTags('simulator')
@RequiresApiKey()
@Controller('api/simulator/providers')
export class SimulatorController {
  constructor(@Optional() @Inject(ProviderSimulator) private readonly simulator: ProviderSimulator | null) {}

  @Get()
  @ApiOperation({ summary: "Every simulated provider's latency and failure profile" })
  @ApiOkResponse({ schema: { type: 'object', example: { finnhub: { latencyMs: { median: 40, jitter: 20 }, errorRate: 0.01, rateLimitRate: 0, timeoutRate: 0, noDataRate: 0 } } } })
  @ApiNotFoundResponse({ description: 'The simulator is off (SIMULATOR_ENABLED=false)' })
  list(): Record<string, ProviderProfile> {
    const simulator = this.running();
    return Object.fromEntries(SIMULATED_PROVIDERS.map((name) => [name, simulator.getProfile(name)]));
  }

  @Put(':name')
  @ApiOperation({ summary: "Change part of a simulated provider's profile", description: 'Fields: latencyMs.median and latencyMs.jitter (0-60000), errorRate, rateLimitRate, timeoutRate, noDataRate (0-1).' })
  @ApiParam({ name: 'name', enum: SIMULATED_PROVIDERS })
  @ApiBody({ schema: { type: 'object', example: { errorRate: 1 } } })
  @ApiOkResponse({ description: 'The profile now in force' })
  @ApiBadRequestResponse({ description: 'A field is unknown or out of range; the message names it' })
  @ApiNotFoundResponse({ description: 'Unknown provider, or the simulator is off' })
  update(@Param('name') name: string, @Body() patch: unknown): ProviderProfile {
    const simulator = this.running();
    if (!isSimulatedProvider(name)) throw new NotFoundException(`no simulated provider "${name}" (expected one of ${SIMULATED_PROVIDERS.join(', ')})`);
    try {
      return simulator.setProfile(name, patch as Parameters<ProviderSimulator['setProfile']>[1]);
    } catch (error) {
      if (error instanceof SimulatorProfileError) throw new BadRequestException([error.message.replace(`setProfile(${name})`, 'body')]);
      throw error;
    }
  }

  private running(): ProviderSimulator {
    if (!this.simulator) throw new NotFoundException('the provider simulator is off (SIMULATOR_ENABLED=false)');
    return this.simulator;
  }
}
