import type { Sample } from './load';

export interface Variant {
  name: string;
  run: () => Promise<Sample>;
}

export interface Row {
  scenario: string;
  variant: string;
  samples: Sample[];
}

/** The middle value; the mean of the two middle ones for an even count. */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The medians of a row's rounds. */
export function medians(row: Row): Sample {
  return {
    rps: median(row.samples.map((sample) => sample.rps)),
    p50: median(row.samples.map((sample) => sample.p50)),
    p99: median(row.samples.map((sample) => sample.p99)),
    cpuPerRequestMs: median(row.samples.map((sample) => sample.cpuPerRequestMs)),
    failures: row.samples.reduce((sum, sample) => sum + sample.failures, 0),
    requests: median(row.samples.map((sample) => sample.requests)),
  };
}

/**
 * Unrecorded runs of each variant before the rounds (`BENCH_WARMUP_RUNS`): an application
 * process keeps getting cheaper per request for its first 20 to 30 s under load (a list
 * request measured 1,380, 830, 570, 590 µs of CPU in four 8 s runs back to back) while V8
 * tiers its hot paths up and its young generation grows; one run was not enough.
 */
const WARMUP_RUNS = Number(process.env.BENCH_WARMUP_RUNS ?? 3);

/**
 * `rounds` rounds of every variant, the order reversed every other round so that none always
 * runs first (warmer caches) or last (a hotter machine), after the unrecorded warm-up runs of
 * each.
 */
export async function alternate(scenario: string, variants: Variant[], rounds: number) {
  const rows: Row[] = variants.map((variant) => ({ scenario, variant: variant.name, samples: [] }));
  for (const variant of variants) for (let run = 0; run < WARMUP_RUNS; run++) await variant.run();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 ? [...variants.keys()].reverse() : [...variants.keys()];
    for (const index of order) {
      const sample = await variants[index].run();
      rows[index].samples.push(sample);
      console.error(
        `  ${scenario} · ${variants[index].name} · round ${round + 1}: ${sample.rps.toFixed(0)} req/s, ` +
          `${(sample.cpuPerRequestMs * 1000).toFixed(0)} µs CPU/req, p50 ${sample.p50.toFixed(1)} ms`,
      );
    }
  }
  return rows;
}

/**
 * `rounds` rounds in which every variant is loaded at the same time, each by its own load
 * process, after the warm-up runs (also together). Variants that share the host's cores at the
 * same moment meet the same conditions, so their ratio holds still where alternating rounds on
 * a busy host swing by half: this is how tracing's cost is measured.
 */
export async function together(scenario: string, variants: Variant[], rounds: number) {
  const rows: Row[] = variants.map((variant) => ({ scenario, variant: variant.name, samples: [] }));
  for (let run = 0; run < WARMUP_RUNS; run++) await Promise.all(variants.map((v) => v.run()));
  for (let round = 0; round < rounds; round++) {
    const samples = await Promise.all(variants.map((variant) => variant.run()));
    samples.forEach((sample, index) => rows[index].samples.push(sample));
    console.error(
      `  ${scenario} · round ${round + 1}: ` +
        samples
          .map(
            (sample, index) =>
              `${variants[index].name} ${(sample.cpuPerRequestMs * 1000).toFixed(0)} µs CPU/req`,
          )
          .join(', '),
    );
  }
  return rows;
}

/**
 * A row's CPU per request relative to the reference row: the median of the rounds' own ratios
 * (each round's variants met the same host, so a round on a busier host moves both sides),
 * or the ratio of the medians where the rows hold different numbers of rounds.
 */
export function cpuRatio(row: Row, reference: Row): number {
  if (row.samples.length !== reference.samples.length) {
    return medians(row).cpuPerRequestMs / medians(reference).cpuPerRequestMs;
  }
  return median(
    row.samples.map(
      (sample, round) => sample.cpuPerRequestMs / reference.samples[round].cpuPerRequestMs,
    ),
  );
}

/**
 * One table: per row the medians, and the CPU per request relative to the scenario's first row
 * (its reference), as the median of the rounds' ratios (`cpuRatio`).
 */
export function printTable(rows: Row[]): void {
  const header = [
    'scenario',
    'variant',
    'req/s',
    'CPU µs/req',
    'CPU vs ref',
    'p50 ms',
    'p99 ms',
    'failed',
  ];
  const lines = [header];
  const references = new Map<string, Row>();
  for (const row of rows) {
    const result = medians(row);
    if (!references.has(row.scenario)) references.set(row.scenario, row);
    const reference = references.get(row.scenario)!;
    lines.push([
      row.scenario,
      row.variant,
      result.rps.toFixed(0),
      (result.cpuPerRequestMs * 1000).toFixed(0),
      cpuRatio(row, reference).toFixed(2),
      result.p50.toFixed(1),
      result.p99.toFixed(1),
      String(result.failures),
    ]);
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const render = (line: string[]) =>
    `| ${line.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  console.log(render(lines[0]));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines.slice(1)) console.log(render(line));
}
