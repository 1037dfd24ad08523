// The small tab-separated files beside a 10x matrix (barcodes, genes / features): tens of
// thousands of lines at most, so plain string splitting is fast enough here.

/** The rows of a TSV text, each split on tabs; '\r\n' endings and one final newline allowed. */
export function parseTsv(text: string, file: string): string[][] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((raw, n) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') throw new Error(`${file}: line ${n + 1} is empty; every line should describe one ${file.includes('barcode') ? 'cell' : 'row'}`);
    return line.split('\t');
  });
}
