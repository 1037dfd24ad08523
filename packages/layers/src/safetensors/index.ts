// safetensors files (https://github.com/huggingface/safetensors) without tfjs: Uint8Array in, Uint8Array out.
export { encodeSafetensors } from './encode.js';
export type { SafetensorsTensor } from './encode.js';
export { decodeSafetensors } from './decode.js';
export type { DecodedSafetensors, DecodedTensor } from './decode.js';
export { READ_DTYPES, WRITE_DTYPES } from './format.js';
export type { ReadDtype, WriteDtype } from './format.js';
