// h5wasm-plugins ships plain JavaScript without type declarations; these are the two members
// vitae uses (see its index.mjs).
declare module 'h5wasm-plugins' {
  /** The package folder as a URL (file: in Node); the plugins are in `${base_url}/plugins/`. */
  export const base_url: string;
  /** Puts `<package>/plugins` first on the HDF5 plugin search path of an h5wasm Node module. */
  export function install_local_plugins(module: { insert_plugin_search_path(path: string, index: number): number }): void;
}
