export { describeSpecialFunctionAccuracy, SPECIAL_FUNCTION_TOLERANCE } from './special-functions.js';
export type { SpecialFunctionApi } from './special-functions.js';
export { buildFromSpec } from './distribution-spec.js';
export type { DistributionSpec, FamilyModule } from './distribution-spec.js';
