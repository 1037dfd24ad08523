// The shipped .h5ad files live in the package's data/ folder, found relative to this module:
// `new URL('../data/…', import.meta.url)` works from src/ (tests), dist/ (Node) and in bundlers
// (Vite, webpack 5, esbuild copy the file and rewrite the URL), so one code path serves all.
// In Node the file is read from disk; in a browser it is fetched from where the bundler put it.

/** The bytes of data/<file>. */
export async function loadDataFile(file: string): Promise<Uint8Array> {
  const url = new URL(`../data/${file}`, import.meta.url);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    try {
      return new Uint8Array(await readFile(url));
    } catch (error) {
      throw new Error(`@vitae/datasets: cannot read the shipped file ${url.pathname} (${(error as Error).message}); was the package installed with its data/ folder?`);
    }
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`@vitae/datasets: fetching ${url.href} failed with HTTP ${response.status}; serve the package's data/ folder next to the bundle`);
  return new Uint8Array(await response.arrayBuffer());
}
