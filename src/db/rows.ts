/**
 * src/db maps its rows to the domain's entities (src/domain/model.ts). Each repository states that
 * its table's row type is exactly the entity it returns, so a schema change that drifts from the
 * model fails to compile here rather than leaking a column the domain does not know.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Compiles only when `Row` and `Entity` are the same type: `rowIs<Row, Entity>(true)`. */
export const rowIs = <Row, Entity>(same: Same<Row, Entity>): void => void same;
