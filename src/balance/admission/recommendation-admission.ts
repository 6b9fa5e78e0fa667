/** DrsRecommendations are written by the DRS controller; through the API they are only read, applied or deleted. */
import { BulkheadError } from '../../api/index.js';

export function refuseRecommendationWrite(): never {
  throw new BulkheadError(405, 'MethodNotAllowed', 'DRS recommendations are written by DRS; apply them with POST /drs/v1/apply (bulkhead drs apply) or delete them');
}
