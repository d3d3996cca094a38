/**
 * Why a transfer stopped. 'usage' and 'refused' change nothing (a bad --from/--to, a source at
 * another schema, a target that is not empty); 'mismatch' and 'failed' were rolled back.
 */
export type TransferProblem = 'usage' | 'refused' | 'mismatch' | 'failed';

export class TransferError extends Error {
  constructor(
    message: string,
    readonly problem: TransferProblem,
    /** One line per difference found (mismatch) or per table with rows (refused target). */
    readonly details: string[] = [],
  ) {
    super(message);
  }
}
