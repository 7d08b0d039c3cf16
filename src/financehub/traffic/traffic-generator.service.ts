import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataOrchestrator } from '../data-orchestrator.service';
import type { FinanceHubConfig } from '../financehub.config';
import {
  FINANCEHUB_CONFIG,
  FINANCEHUB_RANDOM,
  TRAFFIC_INTERVAL_NAME,
} from '../financehub.constants';
import { SIMULATED_COINS, SIMULATED_STOCKS } from '../simulator/market-universe';
import type { RandomSource } from '../simulator/random';

const STOCKS = Object.keys(SIMULATED_STOCKS);
const COINS = Object.keys(SIMULATED_COINS);
const CURRENCIES = ['usd', 'usd', 'usd', 'eur', 'gbp'];
/** Real traffic has typos: these exist nowhere, so every provider answers "no data". */
const TYPO_STOCKS = ['APPL', 'MSFTT', 'GOOG1', 'TSLAA'];
const TYPO_COINS = ['bitcoinn', 'etherium', 'dogecoin-classic-x'];

const STOCKS_PER_TICK = 2;
const COINS_PER_TICK = 1;
const TYPO_RATE = 0.05;

/** Demo load: a few random requests through the orchestrator on every tick. */
@Injectable()
export class TrafficGenerator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(TrafficGenerator.name);
  private running = false;

  constructor(
    private readonly orchestrator: DataOrchestrator,
    private readonly scheduler: SchedulerRegistry,
    @Inject(FINANCEHUB_CONFIG) private readonly config: FinanceHubConfig,
    @Inject(FINANCEHUB_RANDOM) private readonly random: RandomSource,
  ) {}

  onModuleInit(): void {
    if (!this.config.traffic.enabled) return;
    const handle = setInterval(() => void this.tick(), this.config.traffic.intervalMs);
    this.scheduler.addInterval(TRAFFIC_INTERVAL_NAME, handle);
  }

  onModuleDestroy(): void {
    // deleteInterval also clears the timer.
    if (this.scheduler.doesExist('interval', TRAFFIC_INTERVAL_NAME)) {
      this.scheduler.deleteInterval(TRAFFIC_INTERVAL_NAME);
    }
  }

  /** One round of requests; skipped while the previous round (slow providers) is running. */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < STOCKS_PER_TICK; i++) {
        calls.push(this.orchestrator.getQuote(this.pick(STOCKS, TYPO_STOCKS)));
      }
      for (let i = 0; i < COINS_PER_TICK; i++) {
        calls.push(
          this.orchestrator.getCryptoPrice(
            this.pick(COINS, TYPO_COINS),
            this.pick(CURRENCIES, []),
          ),
        );
      }
      const results = await Promise.allSettled(calls);
      for (const r of results) {
        if (r.status === 'rejected') {
          this.logger.debug(`Generated request failed: ${describe(r.reason)}`);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private pick(values: readonly string[], typos: readonly string[]): string {
    const pool = typos.length > 0 && this.random() < TYPO_RATE ? typos : values;
    return pool[Math.floor(this.random() * pool.length)] ?? values[0];
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
