import { AppError } from '../../../../shared/errors.js';

/**
 * Which kind of rule of the data model a write broke, in the same words on both engines: the
 * engine's own code (SQLITE_CONSTRAINT_CHECK, SQLSTATE 23514) and the constraint's name are how the
 * schema is built inside, not something a client can act on, and differ between the engines.
 */
export type ConstraintRule = 'check' | 'unique' | 'foreign_key' | 'not_null' | 'append_only' | 'other';

/** A constraint is the last line of defence; reaching it means the input broke a rule of the model. */
export function constraintConflict(rule: ConstraintRule): AppError {
  return new AppError('CONFLICT', 'The change breaks a rule of the data model and was not made', { rule });
}
