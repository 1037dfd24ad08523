// esbuild's `binary` loader (scripts/bundle-tfjs.mjs) turns imported .wasm files into bytes.
declare module '*.wasm' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
