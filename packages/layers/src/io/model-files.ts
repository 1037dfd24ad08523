// A saved model on disk: a directory with `model.safetensors` (the weights) and `config.json`
// (what the model needs to be rebuilt: its class, its constructor options, data facts such as
// the feature count). Node only (file system); in a browser use the bytes / JSON directly.
export const WEIGHTS_FILE = 'model.safetensors';
export const CONFIG_FILE = 'config.json';

export interface ModelFiles {
  weights: Uint8Array;
  config: Record<string, unknown>;
}

/** Writes `model.safetensors` and `config.json` into `dir` (created if missing). */
export async function writeModelFiles(dir: string, files: ModelFiles): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, WEIGHTS_FILE), files.weights);
  await writeFile(join(dir, CONFIG_FILE), `${JSON.stringify(files.config, null, 2)}\n`);
}

/** Reads what writeModelFiles wrote; a clear error when `dir` holds no saved model. */
export async function readModelFiles(dir: string): Promise<ModelFiles> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  let weights: Uint8Array;
  let text: string;
  try {
    weights = new Uint8Array(await readFile(join(dir, WEIGHTS_FILE)));
    text = await readFile(join(dir, CONFIG_FILE), 'utf8');
  } catch (error) {
    throw new Error(`readModelFiles: '${dir}' must hold ${WEIGHTS_FILE} and ${CONFIG_FILE} (written by a model's save()): ${(error as Error).message}`);
  }
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`readModelFiles: ${CONFIG_FILE} in '${dir}' is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error(`readModelFiles: ${CONFIG_FILE} in '${dir}' must hold a JSON object`);
  return { weights, config: config as Record<string, unknown> };
}
