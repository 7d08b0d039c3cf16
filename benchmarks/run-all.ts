import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { Verdict, table } from './bench-utils';
import { runEngineBenchmarks } from './engine.bench';
import { runHttpBenchmarks } from './http.bench';

/**
 * npm run bench: every measurement in one run on this machine, written to BENCHMARKS.md.
 * BENCH_SAMPLES, BENCH_RUNS and BENCH_HTTP_SECONDS shorten it for a quick look.
 */
async function main(): Promise<void> {
  const samples = Number(process.env.BENCH_SAMPLES ?? 10_000_000);
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
  const started = new Date();
  console.log(`engine benchmarks: ${samples} samples x ${runs} runs...`);
  const engine = runEngineBenchmarks(samples, runs);
  console.log(engine.markdown);
  if (seconds === 0) return; // an engine-only look: no report is written
  console.log(`\nHTTP benchmarks: ${seconds} s per load...`);
  const http = await runHttpBenchmarks(seconds);
  console.log(http.markdown);

  const verdicts: Verdict[] = [...engine.verdicts, ...http.verdicts];
  const cpu = cpus();
  const report = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${started.toISOString()}: ${cpu.length} x ${cpu[0]?.model.trim()}, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}. ` +
      'Every ratio compares numbers measured in this same run.',
    '',
    '## Targets',
    '',
    table(['target', 'measured', 'met'], verdicts.map((v) => [v.target, v.measured, v.met ? 'yes' : '**no**'])),
    '',
    '## Measurements',
    '',
    engine.markdown,
    '',
    http.markdown,
    '',
  ].join('\n');
  writeFileSync(join(__dirname, '..', '..', 'BENCHMARKS.md'), report);
  console.log('\n' + table(['target', 'measured', 'met'], verdicts.map((v) => [v.target, v.measured, v.met ? 'yes' : 'NO'])));
  console.log('\nwrote BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
