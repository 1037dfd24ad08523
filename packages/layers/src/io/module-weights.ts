// A module's state dict as a safetensors file: every parameter and buffer by its dotted name,
// float32, row-major little-endian (Linear weights are [in, out]; see linear.ts). The file
// opens with Python's `safetensors.numpy.load_file` / `safetensors.torch.load_file`.
import { dispose, tensor, tidy } from '@vitae/tensor';
import { decodeSafetensors, encodeSafetensors } from '../safetensors/index.js';

import type { NamedTensorMap } from '@vitae/tensor';
import type { LoadStateDictOptions, LoadStateDictResult, Module } from '../module.js';
import type { SafetensorsTensor } from '../safetensors/index.js';

/** The module's parameters and buffers as safetensors bytes, with optional string metadata. */
export function moduleToSafetensors(module: Module, metadata?: Record<string, string>): Uint8Array {
  const dict = module.stateDict();
  try {
    const tensors: Record<string, SafetensorsTensor> = {};
    for (const [name, value] of Object.entries(dict)) {
      tensors[name] = value.dtype === 'int32'
        ? { dtype: 'I32', shape: [...value.shape], data: value.dataSync() as Int32Array }
        : { dtype: 'F32', shape: [...value.shape], data: value.dataSync() as Float32Array };
    }
    return encodeSafetensors(tensors, metadata);
  } finally {
    dispose(Object.values(dict));
  }
}

/** Loads safetensors bytes into `module` (names and shapes must match; see Module.loadStateDict). */
export function loadSafetensorsInto(module: Module, bytes: Uint8Array | ArrayBuffer, options: LoadStateDictOptions = {}): LoadStateDictResult & { metadata: Record<string, string> } {
  const { tensors, metadata } = decodeSafetensors(bytes);
  const dict: NamedTensorMap = tidy(() => {
    const out: NamedTensorMap = {};
    for (const [name, t] of Object.entries(tensors)) {
      const isInt = t.data instanceof Int32Array || t.data instanceof Uint8Array;
      out[name] = tensor(isInt ? Int32Array.from(t.data) : Float32Array.from(t.data), t.shape, isInt ? 'int32' : 'float32');
    }
    return out;
  });
  try {
    return { ...module.loadStateDict(dict, options), metadata };
  } finally {
    dispose(Object.values(dict));
  }
}
