export { installWasmKernels, setWasmThreads, WASM_SIMD_PROVIDER } from './install.js';
export { KernelModule } from './kernel-module.js';
export type { BinaryKernelName, CountLikelihoodInputs, CountLikelihoodOutputs, UnaryKernelName } from './kernel-module.js';
export { ReduceModule } from './reduce-module.js';
export { SparseModule } from './sparse-module.js';
export type { CsrArrays } from './sparse-module.js';
export { GammaSampleModule } from './gamma-sample-module.js';
export { GemmModule } from './gemm-module.js';
export type { GemmOptions } from './gemm-module.js';
