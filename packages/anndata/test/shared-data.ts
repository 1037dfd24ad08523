// The real datasets beside the repository (see @vitae/fixtures/shared-data).
export { DATASETS, dataset } from '@vitae/fixtures/shared-data';
