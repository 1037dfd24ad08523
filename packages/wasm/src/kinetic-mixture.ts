// The JS side of assembly/kinetic-mixture.ts (@vitae/tensor's KineticMixture kernels): the
// per-gene constants in float64 rounded once to float32, and the padded row layout the SIMD loop
// reads (genes padded to a multiple of 4 per row, π de-interleaved into four planes), in chunks
// of rows. `kineticRows` is self-contained: its source also runs in the elementwise workers
// (elementwise-worker-source.ts), so it refers to nothing outside itself.

/** Accumulated gene partials per chunk: α, β, γ, t_s, u₀, s₀, σ_u, σ_s. */
export const GENE_PARTIALS = 8;

/** The eight gene inputs, [G] each. */
export interface KineticGenes {
  alpha: Float32Array;
  beta: Float32Array;
  gamma: Float32Array;
  switchTime: Float32Array;
  u0: Float32Array;
  s0: Float32Array;
  sdU: Float32Array;
  sdS: Float32Array;
}

/** One call of veloVI's likelihood, as KernelModule.kineticMixture stages it (gene inputs one after another in `genes`). */
export interface KineticJob {
  cells: readonly Float32Array[];
  genes: Float32Array;
  dy: Float32Array | null;
  outputs: readonly Float32Array[];
  partials: Float32Array | null;
  g: number;
  rows: number;
  chunkRows: number;
  attrs: readonly number[];
}

/** Rows [from, to) of a job (from a multiple of chunkRows) through `ex`, into the job's own outputs. */
export function runKineticRows(ex: KineticExports, job: KineticJob, from: number, to: number): void {
  const { g, chunkRows } = job;
  const cellRange = (a: Float32Array, width: number) => a.subarray(from * width, to * width);
  const cells = job.cells.map((a, j) => cellRange(a, j === 2 ? 4 * g : g));
  const outs = job.outputs.map((a, j) => cellRange(a, j === 2 ? 4 * g : g));
  const partials = job.partials === null ? null : job.partials.subarray((from / chunkRows) * GENE_PARTIALS * g);
  kineticRows(ex, cells, job.genes, job.dy === null ? null : cellRange(job.dy, g), outs, partials, g, to - from, chunkRows, job.attrs);
}

/** What kineticRows needs of a kernels.wasm instance. */
export interface KineticExports {
  memory: WebAssembly.Memory;
  scratchBase(): number;
  kineticMixture(grad: number, cells: number, plane: number, genes: number, gstride: number, acc: number, rows: number, gp: number, lastScale: number, logLast: number, probsEps: number): void;
}

/** Rows of veloVI's likelihood per chunk: each of the chunk's 15 planes stays near 32 KiB. */
export function kineticChunkRows(g: number): number {
  return Math.max(1, Math.floor(8192 / g));
}

/**
 * `rows` cells of veloVI's likelihood through one kernels.wasm instance, in chunks of
 * `chunkRows` rows (g >= 4). cells: ρ, τ, π (interleaved, 4 per gene), u, s from the first row;
 * genes: the eight gene inputs one after another (α, β, γ, t_s, u₀, s₀, σ_u, σ_s; g each);
 * attrs: t_max, ε, lastScale, probsEps. Without dy: outs [value]; with dy: outs [∂/∂ρ, ∂/∂τ,
 * ∂/∂π], and chunk c's gene partials (float32, as the kernel summed them over its rows) into
 * partials[c·8g, (c + 1)·8g).
 */
export function kineticRows(
  ex: KineticExports, cells: readonly Float32Array[], genes: Float32Array, dy: Float32Array | null, outs: readonly Float32Array[],
  partials: Float32Array | null, g: number, rows: number, chunkRows: number, attrs: readonly number[],
): void {
  const GENE_ROWS = 18;
  const PLANES = 15; // ρ, τ, u, s, dy, π (4), value or ∂/∂ρ, ∂/∂τ, ∂/∂π (4): assembly/kinetic-mixture.ts' P_*
  const PARTIALS = 8;
  const [tMax, eps, lastScale, probsEps] = attrs as [number, number, number, number];
  const gstride = (g + 3) & ~3;
  const plane = (chunkRows * g + 3) & ~3;
  const base = (ex.scratchBase() + 15) & ~15;
  const genesAt = base >> 2;
  const accAt = genesAt + GENE_ROWS * gstride;
  const cellsAt = accAt + PARTIALS * gstride;
  const need = 4 * (cellsAt + PLANES * plane);
  if (need > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / 65536));
  let heap = new Float32Array(ex.memory.buffer);
  // gene block: α, β, γ, t_s, t_max − t_s, u₀, s₀, A = α/β, C = α/γ, h = 1/(γ − β + ε), D = α h,
  // E = β u₀ h, 1/σ_u, log σ_u + ½ log 2π, 1/σ_s, log σ_s + ½ log 2π, 1/β, 1/γ (float64, rounded once)
  const halfLog2Pi = 0.5 * Math.log(2 * Math.PI);
  for (let j = 0; j < g; j++) {
    const [a, b, ga, ts, u0, s0, sdU, sdS] = [0, 1, 2, 3, 4, 5, 6, 7].map((r) => genes[r * g + j] as number) as [number, number, number, number, number, number, number, number];
    const h = 1 / (ga - b + eps);
    const row = [a, b, ga, ts, tMax - ts, u0, s0, a / b, a / ga, h, a * h, b * u0 * h, 1 / sdU, Math.log(sdU) + halfLog2Pi, 1 / sdS, Math.log(sdS) + halfLog2Pi, 1 / b, 1 / ga];
    for (let r = 0; r < GENE_ROWS; r++) heap[genesAt + r * gstride + j] = row[r] as number;
  }
  const [rho, tau, pi, u, s] = cells as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const grad = dy !== null;
  // input planes ρ 0, τ 1, u 2, s 3, dy 4, π 5..8 (interleaved); outputs 9, 10, 11..14
  const inputs: [Float32Array, number, number][] = [[rho, 0, 1], [tau, 1, 1], [u, 2, 1], [s, 3, 1], [pi, 5, 4]];
  if (grad) inputs.push([dy, 4, 1]);
  const outputs: [number, number][] = grad ? [[9, 1], [10, 1], [11, 4]] : [[9, 1]];
  for (let r0 = 0, chunk = 0; r0 < rows; r0 += chunkRows, chunk++) {
    const m = Math.min(chunkRows, rows - r0);
    for (const [x, p, width] of inputs) heap.set(x.subarray(r0 * g * width, (r0 + m) * g * width), cellsAt + p * plane);
    if (grad) heap.fill(0, accAt, accAt + PARTIALS * gstride);
    ex.kineticMixture(grad ? 1 : 0, cellsAt << 2, plane << 2, genesAt << 2, gstride << 2, accAt << 2, m, g, lastScale, Math.log(lastScale), probsEps);
    heap = new Float32Array(ex.memory.buffer);
    outputs.forEach(([p, width], j) => (outs[j] as Float32Array).set(heap.subarray(cellsAt + p * plane, cellsAt + p * plane + m * g * width), r0 * g * width));
    if (grad) {
      const into = partials as Float32Array;
      for (let k = 0; k < PARTIALS; k++) into.set(heap.subarray(accAt + k * gstride, accAt + k * gstride + g), (chunk * PARTIALS + k) * g);
    }
  }
}

/** The gene partials [8·G]: the chunks' float32 sums added in chunk order in float64 (the same for any thread count). */
export function sumChunkPartials(partials: Float32Array, g: number, out: Float32Array): void {
  const total = new Float64Array(GENE_PARTIALS * g);
  const size = GENE_PARTIALS * g;
  for (let at = 0; at < partials.length; at += size) {
    for (let i = 0; i < size; i++) total[i] = (total[i] as number) + (partials[at + i] as number);
  }
  out.set(total);
}
